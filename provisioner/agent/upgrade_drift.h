// Drift as the upgrade engine sees it: imagebuilder's quick metadata pass (tree_drift.h:
// type, owner, mode, size, mtime, link target, device, hard links; no hashing) minus what a
// running system does to itself without drifting from its image: files the image never had
// (logs, caches), directory mtimes (any new file in /etc moves its mtime) and whatever is
// mounted over the image (/proc, /sys, /dev on a live root).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "imagebuilder/keep_list.h"
#include "imagebuilder/manifest.h"

namespace ingot::agent {

// The drifted paths of m, in manifest order, one per path; protected paths never drift.
Result<std::vector<std::string>> find_upgrade_drift(const image::Manifest& m, const std::filesystem::path& root,
                                                    const image::KeepList& protect);

}  // namespace ingot::agent
