#include "imagebuilder/shared_libraries.h"

#include <fstream>
#include <sstream>

#include "common/command_runner.h"

namespace ingot::image {
namespace {

// ldd answers in milliseconds; a hung one (a loader looping on a broken binary) is not waited for.
constexpr auto kLddTimeout = std::chrono::seconds(60);

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

SharedLibraries parse_ldd_output(std::string_view text) {
  SharedLibraries out;
  std::istringstream in{std::string(text)};
  for (std::string raw; std::getline(in, raw);) {
    std::string line = trim(raw);
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)", "/lib64/ld-linux-x86-64.so.2 (0x...)",
    // "linux-vdso.so.1 (0x...)" (in the kernel: nothing to copy), "libfoo.so.1 => not found".
    std::string path;
    if (auto arrow = line.find(" => "); arrow != std::string::npos) {
      std::string target = line.substr(arrow + 4);
      if (target.starts_with("not found")) {
        out.missing.push_back(line.substr(0, arrow));
        continue;
      }
      path = target;
    } else {
      path = line;
    }
    path = path.substr(0, path.find(' '));
    if (path.starts_with("/")) out.paths.push_back(path);
  }
  return out;
}

SharedLibraries shared_libraries_of(const std::filesystem::path& program) {
  if (!is_elf_file(program)) return {};
  // An argv, no shell: any file name (a quote, a leading '-') is passed as it is. ldd's own complaints ("not a dynamic
  // executable") come interleaved and name no absolute path, so the parser passes over them;
  // output is capped at kMaxCommandOutput, far above the few dozen lines a program needs.
  SystemRunner runner;
  auto r = runner.run({"ldd", "--", program.string()}, {}, kLddTimeout);
  if (!r) return {};
  return parse_ldd_output(r->output);
}

bool is_elf_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

}  // namespace ingot::image
