// Differences between two manifests, path by path: added, removed, and changed with what
// changed (content, type, mode, owner, mtime, link target, device, xattrs). One merge pass
// over the two sorted entry lists. Used by `ingot image diff` and the build report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imagebuilder/manifest.h"

namespace ingot::image {

struct PathChange {
  std::string path;
  std::vector<std::string> what;  // "content", "type", "mode", "owner", "mtime", "target", "device", "xattrs"
};

struct ManifestDiff {
  std::vector<std::string> added;
  std::vector<std::string> removed;
  std::vector<PathChange> changed;
  std::uint64_t added_bytes = 0;    // file sizes new in b
  std::uint64_t removed_bytes = 0;  // file sizes gone from a
  bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};

ManifestDiff diff_manifests(const Manifest& a, const Manifest& b);

}  // namespace ingot::image
