// What an upgrade from manifest n to n+1 changes on a node's root: paths added, replaced
// (content or type: a new inode), changed in place (owner, mode, mtime, xattrs) and removed,
// the objects to stage, and whether the change needs a reboot. Pure: manifests in, plan out;
// the node's protected paths (keep list, node config, /var/lib/ingot) are never in a plan.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imagebuilder/keep_list.h"
#include "imagebuilder/manifest.h"
#include "imagebuilder/upgrade_policy.h"

namespace ingot::image {

// The node's own state (deployed manifest, key, node config list, upgrade journal), relative to
// its root: never part of an image, never touched by an upgrade.
inline constexpr const char* kNodeStateDir = "var/lib/ingot";

struct UpgradePlan {
  std::vector<std::string> added;    // in n+1 only, manifest order
  std::vector<std::string> changed;  // in both, replaced by a new inode (content, type, link target)
  std::vector<std::string> meta;     // in both, same content, metadata changed in place
  std::vector<std::string> removed;  // in n only, manifest order
  std::vector<std::string> drifted;  // the node's drift that the plan overwrites
  std::vector<Entry> objects;           // n+1 file entries whose content is staged, one per sha
  std::vector<Entry> rollback_objects;  // n's content of overwritten drifted files
  std::uint64_t bytes = 0;  // uncompressed size of `objects`
  bool reboot = false;

  bool empty() const { return added.empty() && changed.empty() && meta.empty() && removed.empty(); }
  std::size_t files() const { return added.size() + changed.size() + meta.size() + removed.size(); }
};

// The keep lists of both manifests, the node's config files and its agent state.
KeepList protected_paths(const Manifest& from, const Manifest& to,
                                const std::vector<std::string>& node_config_paths);

// drifted: paths of `from` that the node no longer matches (upgrade_drift.h); with the
// overwrite policy they are replaced by n+1's version even where n and n+1 agree.
UpgradePlan make_plan(const Manifest& from, const Manifest& to, const std::vector<std::string>& drifted,
                      const KeepList& protect, const UpgradePolicy& policy);

}  // namespace ingot::image
