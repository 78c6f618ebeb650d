#include "imagebuilder/dpkg_status.h"

#include <optional>

namespace ingot::image {

PackageSet parse_dpkg_status(std::string_view text) {
  PackageSet out;
  std::string name, version, status;
  auto flush = [&] {
    if (!name.empty() && status == "install ok installed") out[name] = version;
    name.clear();
    version.clear();
    status.clear();
  };
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty()) {
      flush();
      continue;
    }
    auto field = [&](std::string_view key) -> std::optional<std::string> {
      if (!line.starts_with(key) || line.size() <= key.size() || line[key.size()] != ':') return std::nullopt;
      auto v = line.substr(key.size() + 1);
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      return std::string(v);
    };
    if (auto v = field("Package")) name = *v;
    else if (auto v = field("Version")) version = *v;
    else if (auto v = field("Status")) status = *v;
  }
  flush();
  return out;
}

PackageDiff diff_packages(const PackageSet& a, const PackageSet& b) {
  PackageDiff d;
  for (auto& [n, v] : a) {
    auto it = b.find(n);
    if (it == b.end()) d.removed[n] = v;
    else if (it->second != v) d.changed[n] = {v, it->second};
  }
  for (auto& [n, v] : b)
    if (!a.count(n)) d.added[n] = v;
  return d;
}

}  // namespace ingot::image
