// The dry run of one node's upgrade: from the manifest it runs to the target's, what changes
// (entries added / changed / removed, keep-list paths and the agent's own state left out as the
// agent leaves them), how many bytes come over the wire and whether the node reboots (a change
// under one of the target's reboot_paths, /usr/lib/ingot/upgrade.json, UPGRADE-CONTRACT.md).
// Pure over manifests: the caller says what one object costs to transfer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "imagebuilder/manifest.h"

namespace ingot::rollout {

// Where a role image carries its upgrade policy (pre/post hooks, reboot paths).
inline constexpr std::string_view kUpgradePolicyPath = "usr/lib/ingot/upgrade.json";
// A policy is three short keys; anything bigger is not one, so it is not read whole.
inline constexpr std::uint64_t kMaxUpgradePolicyBytes = 64 * 1024;
// The contract's default when the image says nothing: kernels, bootloaders and modules.
inline const std::vector<std::string> kDefaultRebootPaths = {"/boot/", "/lib/modules/", "/usr/lib/modules/"};
// The agent's own state is never part of an upgrade (UPGRADE-CONTRACT.md).
inline constexpr std::string_view kAgentStateDir = "var/lib/ingot";
// How many reboot-causing paths a plan names (enough to see why, not the whole kernel tree).
inline constexpr std::size_t kRebootExamples = 5;

struct TransferCost {
  std::uint64_t bytes = 0;
  bool delta = false;  // the bytes are a stored delta's, not the whole object's
};

// (base object or null digest for a new path, wanted object) → what fetching it costs.
using CostFn = std::function<TransferCost(const image::Digest* base, const image::Digest& want)>;

struct UpgradePlan {
  std::size_t added = 0;
  std::size_t changed = 0;
  std::size_t removed = 0;
  std::size_t objects = 0;        // distinct contents to fetch (not already on the node)
  std::size_t deltas = 0;         // of which fetched as deltas
  std::uint64_t bytes = 0;        // to transfer
  std::uint64_t content_bytes = 0;  // uncompressed size of what is fetched
  bool reboot = false;
  std::vector<std::string> reboot_because;  // up to kRebootExamples paths
};

// The policy's reboot_paths, or the default when the text is absent, not JSON or has none.
std::vector<std::string> reboot_paths_from(std::string_view upgrade_json);

UpgradePlan plan_upgrade(const image::Manifest& from, const image::Manifest& to, const CostFn& cost,
                         const std::vector<std::string>& reboot_paths);

nlohmann::json to_json(const UpgradePlan& p);

}  // namespace ingot::rollout
