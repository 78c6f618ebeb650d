#include "imagebuilder/shared_libraries.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace ingot::image {
namespace {

// A dynamically linked program names a few dozen libraries; more is not ldd talking.
constexpr std::size_t kMaxLddOutput = 1 << 20;

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
  // ldd refuses paths it cannot quote safely itself; ours come from the builder, not the network,
  // but a quote in a file name would still break the shell command: refuse it.
  std::string p = program.string();
  if (p.find('\'') != std::string::npos) return {};
  std::string text;
  if (FILE* f = ::popen(("ldd '" + p + "' 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0 && text.size() < kMaxLddOutput;) text.append(buf, n);
    ::pclose(f);
  }
  return parse_ldd_output(text);
}

bool is_elf_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

}  // namespace ingot::image
