// The node's image upgrade (issue 8), one run from n to a target version: verify the target's
// signed manifest with the key the node trusts, check drift, plan, stage, pre hook, switch
// with an undo area, post hook, commit — journaled at every step (upgrade_journal.h) so that
// recover() on the next start rolls an interrupted switch back to exactly n, or finishes a
// committed one. Reports every step through a callback (the loop posts them to the server).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "imagebuilder/apply_source.h"
#include "common/command_runner.h"

namespace ingot::agent {

// Drift reports carry this many paths at most (provisioner/UPGRADES.md); `count` has the total.
inline constexpr std::size_t kMaxDriftPathsReported = 100;

enum class DriftPolicy { stop, overwrite };

struct UpgradeRequest {
  std::filesystem::path root = "/";
  std::string target;  // "role@version"
  DriftPolicy drift = DriftPolicy::stop;
  bool dry_run = false;
  nlohmann::json rollout;  // the server's rollout id, or null
  // Extra connections to the same source for parallel staging (optional).
  std::function<std::unique_ptr<image::ImageSource>()> more_sources;
};

// status: the contract's terminal statuses (done, failed, rolled_back), or reboot-pending,
// or dry-run.
struct UpgradeOutcome {
  std::string status;
  std::string from;
  std::string to;
  std::string message;
  nlohmann::json data = nlohmann::json::object();
  bool reboot = false;
};

// status ∈ started | drift | staged | switching | switched | done | failed | rolled_back ...
using UpgradeReporter = std::function<void(const std::string& status, const std::string& message, const nlohmann::json& data)>;

// A Result error means the engine could not even start (no image state on the node, a broken
// journal); everything after that ends in an outcome.
Result<UpgradeOutcome> run_upgrade(const UpgradeRequest& req, image::ImageSource& source, CommandRunner& runner,
                                   const UpgradeReporter& report);

// At boot, before anything else writes: rolls an interrupted switch back to n, drops an
// interrupted staging, finishes a commit, and after a reboot-pending upgrade checks the root
// against n+1. Returns the outcome of the upgrade it settled, or nullopt when there was none.
Result<std::optional<UpgradeOutcome>> recover_upgrade(const std::filesystem::path& root);

}  // namespace ingot::agent
