// Rollouts and per-node upgrades in SQLite (schema migration 4): what the operator asked, where
// each node's upgrade stands, and the events that belong to a rollout. On the server's one
// connection (store::Db is a shared handle); every change and its event go in one transaction.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "provisioner/rollout/rollout_machine.h"
#include "provisioner/store/sqlite_db.h"

namespace ingot::rollout {

struct RolloutRecord {
  std::int64_t id = 0;
  std::string role;
  std::string from_version;  // "" = any version but the target
  std::string to_image;      // role@version
  RolloutSettings settings;
  std::string drift = "stop";
  RolloutState state = RolloutState::running;
  std::string reason;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

// One node's upgrade. status: pending | assigned | the agent's last non-final report (started,
// drift, staged, switching, switched, rebooting) | done | failed | rolled_back | timed_out |
// cancelled.
struct UpgradeRecord {
  std::int64_t id = 0;
  std::int64_t rollout_id = 0;  // 0: `ingot node upgrade`, no rollout
  std::int64_t node_id = 0;
  std::string node_name;
  std::int64_t seq = 0;
  std::string from_image;
  std::string to_image;
  std::string drift = "stop";
  std::string status = "pending";
  std::string message;
  std::int64_t started_ms = 0;
  std::int64_t updated_ms = 0;
};

SlotStatus slot_status(std::string_view upgrade_status);
bool is_final_status(std::string_view upgrade_status);

struct RolloutEvent {
  std::int64_t id = 0;
  std::string node;  // "" for the rollout's own events
  std::int64_t ts_ms = 0;
  std::string kind;
  std::string message;
  nlohmann::json data;
};

class RolloutStore {
 public:
  // The schema is the inventory's (it migrates first).
  static Result<RolloutStore> open(const std::filesystem::path& db_file);
  explicit RolloutStore(store::Db db) : db_(std::move(db)) {}

  Result<void> transaction(const std::function<Result<void>()>& fn) { return db_.transaction(fn); }

  Result<std::int64_t> insert_rollout(const RolloutRecord& r);
  Result<std::int64_t> insert_upgrade(const UpgradeRecord& u);
  Result<std::optional<RolloutRecord>> rollout(std::int64_t id);
  Result<std::vector<RolloutRecord>> rollouts();
  Result<std::vector<UpgradeRecord>> upgrades_of(std::int64_t rollout_id);
  // The node's upgrade that is assigned or under way (not pending, not final), if any.
  Result<std::optional<UpgradeRecord>> active_upgrade(std::int64_t node_id);
  // Any upgrade of the node that is not final (pending in a live rollout counts).
  Result<std::optional<UpgradeRecord>> open_upgrade(std::int64_t node_id);
  // In flight anywhere: assigned or running (for the silent-agent sweep).
  Result<std::vector<UpgradeRecord>> in_flight();

  Result<void> set_upgrade_status(std::int64_t id, std::string_view status, std::string_view message, bool starting);
  Result<void> set_rollout_state(std::int64_t id, RolloutState s, std::string_view reason);
  Result<void> set_node_image(std::int64_t node_id, std::string_view image);
  // An event on the node's timeline (node_id > 0) and on the rollout's (rollout_id > 0).
  Result<void> event(std::int64_t node_id, std::int64_t rollout_id, std::string_view kind, std::string_view message,
                     const nlohmann::json& data = nlohmann::json::object());
  Result<std::vector<RolloutEvent>> rollout_events(std::int64_t rollout_id);

 private:
  Result<std::vector<UpgradeRecord>> upgrades_where(std::string_view where, std::int64_t arg);
  store::Db db_;
};

nlohmann::json to_json(const RolloutRecord& r);
nlohmann::json to_json(const UpgradeRecord& u);
nlohmann::json to_json(const RolloutEvent& e);

}  // namespace ingot::rollout
