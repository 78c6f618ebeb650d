// Drift: where a node's root no longer matches the manifest it was deployed or upgraded with.
// A quick metadata pass like rsync's (type, owner, mode, size and mtime of files, link targets,
// device numbers), no hashing: an edited file has a new mtime. Extras (files the node created)
// are not drift: a running system has logs and caches the image never had.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "imagebuilder/keep_list.h"
#include "imagebuilder/manifest.h"

namespace ingot::agent {

// The drifted paths in manifest order; protected paths are the node's and never drift.
std::vector<std::string> find_drift(const image::Manifest& m, const std::filesystem::path& root,
                                    const image::KeepList& protect);

}  // namespace ingot::agent
