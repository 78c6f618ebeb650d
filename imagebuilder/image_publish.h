// The last step of every build: scan a finished tree into a manifest, store its objects, sign
// the canonical manifest, publish role@version, and describe the result for the build report
// (sizes, packages, and paths/packages added, removed and changed against the previous version).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "imagebuilder/dpkg_status.h"
#include "imagebuilder/manifest_diff.h"
#include "imagebuilder/object_store.h"
#include "imagebuilder/signing.h"
#include "imagebuilder/tree_scan.h"

namespace ingot::image {

struct PublishRequest {
  std::filesystem::path tree;
  ImageRef ref;
  std::vector<std::string> keep;             // normalised keep patterns
  std::optional<std::int64_t> source_date;   // clamp + created; empty: newest mtime in the tree
  unsigned threads = 2;
  std::function<void(std::size_t, std::size_t, std::uint64_t)> progress;
};

struct PublishResult {
  Manifest manifest;
  std::string manifest_sha256;
  ScanStats stats;
  PackageSet packages;
  std::optional<ImageRef> previous;
  ManifestDiff diff;          // against previous (empty when none)
  PackageDiff package_diff;   // against previous
};

Result<PublishResult> publish_tree(const ObjectStore& store, const SigningKey& key, const PublishRequest& req);

}  // namespace ingot::image
