// The dry run of one node's upgrade: the agent's own planner (imagebuilder/upgrade_plan.h)
// run on the server over the manifest the node runs and the target's, so the numbers are what
// the agent will do — entries added / changed / removed (keep lists and agent state left out),
// the objects it stages and their bytes on the wire, and whether the target's upgrade policy
// (/usr/lib/ingot/upgrade.json) makes it reboot. The caller prices each object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "imagebuilder/manifest.h"

namespace ingot::rollout {

// How many reboot-causing paths an estimate names (enough to see why, not the whole kernel tree).
inline constexpr std::size_t kRebootExamples = 5;

struct TransferCost {
  std::uint64_t bytes = 0;
  bool delta = false;  // the bytes are a stored delta's, not the whole object's
};

// (the node's current entry at that path, or null; the wanted entry) → what fetching it costs.
using CostFn = std::function<TransferCost(const image::Entry* base, const image::Entry& want)>;

struct UpgradeEstimate {
  std::size_t added = 0;
  std::size_t changed = 0;  // replaced or changed in place (metadata)
  std::size_t removed = 0;
  std::size_t objects = 0;          // contents staged
  std::size_t deltas = 0;           // of which fetched as stored deltas
  std::uint64_t bytes = 0;          // on the wire
  std::uint64_t content_bytes = 0;  // uncompressed size of what is staged
  bool reboot = false;
  std::vector<std::string> reboot_because;  // up to kRebootExamples absolute paths
};

// policy_text: the target's upgrade.json, "" when it has none. A policy the agent would refuse
// is an error here too.
Result<UpgradeEstimate> estimate_upgrade(const image::Manifest& from, const image::Manifest& to,
                                         std::string_view policy_text, const CostFn& cost);

nlohmann::json to_json(const UpgradeEstimate& e);

}  // namespace ingot::rollout
