// Drift between a manifest and a tree on disk (eDeploy's `verify`): what is missing, what is
// extra, and what differs. Quick mode compares metadata only (type, mode, owner, link target,
// device, size, mtime: one lstat per entry, one readdir per directory), like rsync's quick
// check; full mode also hashes every file whose metadata matched and compares xattrs.
// Keep-list paths (the manifest's and the caller's) are the node's own and never drift.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "imagebuilder/keep_list.h"
#include "imagebuilder/manifest.h"

namespace ingot::image {

enum class DriftMode { quick, full };

enum class DriftKind { missing, extra, type, mode, owner, target, device, hardlink, size, mtime, content, xattrs };

std::string_view to_string(DriftKind k);  // "missing", "extra", ... as in the enum

struct Drift {
  std::string path;    // manifest-style, relative to the root ("." is the root)
  DriftKind kind = DriftKind::missing;
  std::string detail;  // "0644 on disk, 0600 in the image"; empty for missing/extra
};

// Errors are only for a root that cannot be read at all; unreadable paths inside are drift.
// Sorted in manifest order, extras where they would sort.
Result<std::vector<Drift>> find_drift(const Manifest& m, const std::filesystem::path& root, DriftMode mode,
                                      const KeepList& extra_keep = {});

}  // namespace ingot::image
