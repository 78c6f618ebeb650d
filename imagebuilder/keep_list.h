// The keep list: paths a deployed node keeps across upgrades (hostname, network config, ssh
// host keys, /var data). Patterns are manifest-style relative paths whose components may use
// fnmatch globs ("etc/ssh/ssh_host_*"); '*' never crosses a '/'. A pattern that names a
// directory keeps everything under it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ingot::image {

class KeepList {
 public:
  KeepList() = default;
  explicit KeepList(std::vector<std::string> patterns) : patterns_(std::move(patterns)) {}

  // True when path, or a directory above it, matches a pattern.
  bool keeps(std::string_view path) const;
  const std::vector<std::string>& patterns() const { return patterns_; }

 private:
  std::vector<std::string> patterns_;
};

// Recipes let operators write "/etc/hostname"; manifests store "etc/hostname". Checks the result.
Result<std::string> normalise_keep_pattern(std::string_view written);

}  // namespace ingot::image
