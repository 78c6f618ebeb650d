// The installed-package list of a Debian tree, read from var/lib/dpkg/status (deb822 stanzas),
// for build reports and package-level diffs between image versions.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace ingot::image {

// package name (with ":arch" when not the native "all"/amd64 default) -> version; only
// packages whose Status is "install ok installed".
using PackageSet = std::map<std::string, std::string>;

PackageSet parse_dpkg_status(std::string_view text);

struct PackageDiff {
  PackageSet added, removed;
  std::map<std::string, std::pair<std::string, std::string>> changed;  // name -> {old, new}
};

PackageDiff diff_packages(const PackageSet& a, const PackageSet& b);

}  // namespace ingot::image
