// system_mirror (build_stages.h): read, never hard-code, the archive this machine uses, so CI
// and air-gapped sites with their own mirror build from it.
#include <algorithm>
#include <sstream>

#include "imagebuilder/build_stages.h"
#include "imagebuilder/file_io.h"

namespace ingot::image {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxSourcesFile = 1 << 20;

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// deb822: stanzas with "URIs:", "Suites:", "Types:".
std::optional<std::string> from_deb822(const std::string& text, std::string_view suite) {
  std::istringstream in(text + "\n\n");
  std::string uri, types;
  std::vector<std::string> suites;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) {
      bool match = std::find(suites.begin(), suites.end(), suite) != suites.end();
      if (match && !uri.empty() && types.find("deb") != std::string::npos && types.find("deb-src") == std::string::npos) return uri;
      uri.clear();
      types.clear();
      suites.clear();
      continue;
    }
    if (line.starts_with("URIs:")) {
      auto w = words(line.substr(5));
      if (!w.empty()) uri = w[0];
    } else if (line.starts_with("Suites:")) {
      suites = words(line.substr(7));
    } else if (line.starts_with("Types:")) {
      types = line.substr(6);
    }
  }
  return std::nullopt;
}

// One-line: "deb [opts] URI suite components...".
std::optional<std::string> from_list(const std::string& text, std::string_view suite) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto w = words(line);
    std::size_t i = 0;
    if (w.empty() || w[0] != "deb") continue;
    ++i;
    if (i < w.size() && w[i].starts_with("[")) {
      while (i < w.size() && !w[i].ends_with("]")) ++i;
      ++i;
    }
    if (i + 1 < w.size() && w[i + 1] == suite) return w[i];
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> system_mirror(std::string_view suite) {
  std::vector<fs::path> files;
  if (fs::exists("/etc/apt/sources.list")) files.push_back("/etc/apt/sources.list");
  std::error_code ec;
  for (fs::directory_iterator it("/etc/apt/sources.list.d", ec), end; !ec && it != end; it.increment(ec)) files.push_back(it->path());
  std::sort(files.begin(), files.end());
  for (auto& f : files) {
    auto name = f.filename().string();
    bool deb822 = name.ends_with(".sources");
    if (!deb822 && !name.ends_with(".list")) continue;
    auto text = read_file_limited(f, kMaxSourcesFile);
    if (!text) continue;
    auto uri = deb822 ? from_deb822(*text, suite) : from_list(*text, suite);
    if (uri) return *uri;
  }
  return fail("no apt source for suite '" + std::string(suite) +
              "' in /etc/apt/sources.list or /etc/apt/sources.list.d (set \"mirror\" in the recipe)");
}

}  // namespace ingot::image
