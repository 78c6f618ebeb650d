// The server side of image-based upgrades (issue 8, provisioner/UPGRADES.md): creates rollouts and
// single-node upgrades, tells each agent its target (GET /api/v1/agent/upgrade), records its
// reports and moves rollouts on through the pure rollout machine. Everything is in SQLite
// before it is answered, so a restarted server carries on where it was. It shares the
// inventory's connection (one transaction can cancel an upgrade and move its node).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "provisioner/inventory/inventory.h"
#include "provisioner/rollout/rollout_store.h"
#include "provisioner/server/provisioner.h"

namespace ingot::server {

// An agent that says nothing for this long while upgrading counts as failed. Half an hour
// covers a slow fetch over a busy uplink plus a reboot with a long firmware POST and fsck;
// `ingot serve --upgrade-timeout S` changes it (tests use seconds).
inline constexpr std::int64_t kDefaultUpgradeReportTimeoutS = 1800;
// Rollout sizes beyond any fleet this server drives; bigger numbers are typos.
inline constexpr int kMaxRolloutBatch = 100000;
// The agent's free-text message and its data are recorded, not trusted: bounded (data beyond
// the bound keeps its scalar figures and loses its lists).
inline constexpr std::size_t kMaxReportMessage = 4096;
inline constexpr std::size_t kMaxReportDataBytes = 64 * 1024;

// Given a role name: the image name its nodes run (deploy.json's image, else the role's own
// name), or nullopt when no configured role has that name.
using ImageNameFn = std::function<std::optional<std::string>(const std::string& role)>;

class UpgradeCoordinator {
 public:
  UpgradeCoordinator(inventory::Inventory& inv, rollout::RolloutStore store, std::filesystem::path image_store,
                     std::int64_t report_timeout_ms, ImageNameFn image_name_of);

  // Operator side.
  Result<nlohmann::json> create_rollout(const nlohmann::json& body);
  Result<nlohmann::json> list_rollouts();
  Result<nlohmann::json> show_rollout(std::int64_t id);
  Result<nlohmann::json> rollout_action(std::int64_t id, const std::string& action);
  Result<nlohmann::json> upgrade_node(const std::string& name, const nlohmann::json& body);

  // Agent side. nullopt: nothing to do (HTTP 204).
  Result<std::optional<nlohmann::json>> agent_poll(const inventory::Node& n);
  Result<nlohmann::json> agent_report(const inventory::Node& n, const nlohmann::json& body);

  // The node leaves its image (redeploy, retire): its open upgrade, if any, is cancelled, and
  // its rollout moves on without it. Joins the caller's transaction when there is one.
  Result<void> cancel_node(const inventory::Node& n, const std::string& why);

  // Fails silent agents and moves every live rollout on; run on a timer and after restarts.
  void sweep();
  std::int64_t report_timeout_ms() const { return timeout_ms_; }

 private:
  struct Target;
  Result<Target> resolve_target(const std::string& role, const std::string& to, const std::string& from);
  std::optional<std::string> ineligible(const inventory::Node& n, const Target& t);
  nlohmann::json dry_run_of(const inventory::Node& n, const std::string& to_image);
  Result<void> advance_locked(std::int64_t rollout_id);
  Result<void> expire_single_locked(const rollout::UpgradeRecord& u, std::int64_t now);
  Result<nlohmann::json> show_locked(std::int64_t id);

  inventory::Inventory& inv_;
  rollout::RolloutStore store_;
  std::filesystem::path image_store_;
  std::int64_t timeout_ms_;
  ImageNameFn image_name_of_;
  std::mutex mu_;
};

}  // namespace ingot::server
