// Staging: every object an upgrade needs, fetched and verified into the upgrade area before
// anything on the root changes (state `staging`). Content the node already has under another
// path of n (a moved or duplicated file) is copied locally and re-hashed instead of fetched;
// objects staged by an interrupted run are re-hashed and reused; a changed file comes as a
// librsync delta against n's version when the server has one (imagebuilder/delta_fetch.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "common/result.h"
#include "imagebuilder/apply_source.h"
#include "imagebuilder/keep_list.h"
#include "imagebuilder/manifest.h"
#include "provisioner/agent/upgrade_journal.h"

namespace ingot::agent {

struct StageStats {
  std::uint64_t objects = 0;
  std::uint64_t fetched = 0;       // objects that came over the wire
  std::uint64_t bytes_wire = 0;    // what the source counted (compressed bytes)
  std::uint64_t local = 0;         // objects copied from the node's own tree
  std::uint64_t reused = 0;        // already staged by an earlier run
  std::uint64_t deltas = 0;        // objects rebuilt from a librsync delta against n's file
  std::uint64_t bytes_delta = 0;   // delta bytes on the wire (part of bytes_wire)
};

struct StageInput {
  const std::vector<image::Entry>* objects = nullptr;
  const image::Manifest* from = nullptr;  // where to look for content the node already has
  const std::vector<std::string>* drifted = nullptr;  // not n's content any more: never a local copy
  const image::KeepList* protect = nullptr;
  std::filesystem::path root;
  // More connections to the same server: objects are fetched kStageFetchers at a time.
  std::function<std::unique_ptr<image::ImageSource>()> more_sources;
};

// Thousands of small objects cost a round trip each; a few parallel fetches hide that latency
// (on a LAN or loopback) without loading a server that the whole fleet shares.
inline constexpr unsigned kStageFetchers = 4;

Result<StageStats> stage_objects(const StageInput& in, image::ImageSource& source, const UpgradeArea& area);

// Hashes a file and compares it with the entry's size and sha256.
bool file_has_content(const std::filesystem::path& path, const image::Entry& e);

}  // namespace ingot::agent
