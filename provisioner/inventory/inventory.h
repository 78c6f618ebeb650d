// The inventory: nodes, their lifecycle state, facts, role and allocation, per-node agent
// tokens and the event timeline — all in SQLite, nothing important only in memory. Every state
// change and its event are written in one transaction, so a crash never leaves one without
// the other; callers put several changes in one with db().transaction(). What the boot plane
// needs per MAC (BootEntry) is mirrored in memory, refreshed once each write's transaction has
// ended, so answering a DHCP or iPXE request reads no database.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "provisioner/inventory/node_state.h"
#include "provisioner/inventory/secret_box.h"
#include "provisioner/store/sqlite_db.h"

namespace ingot::inventory {

struct Node {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> mac;   // boot MAC, lowercase aa:bb:..
  std::optional<std::string> uuid;  // SMBIOS UUID, when known
  std::optional<std::string> bmc;   // ipmi://user@host:port — never with the password
  bool has_bmc_password = false;
  NodeState state = NodeState::enrolled;
  std::string phase;    // the phase the node is in or failed in
  std::string failure;  // why it failed, when state == failed
  std::string role;
  nlohmann::json allocation = nlohmann::json::object();
  nlohmann::json variables = nlohmann::json::object();
  std::string facts_json = "[]";
  int attempts = 0;
  std::string goal;  // what the operator asked: "" | "inspect" | "deploy"
  std::string image;  // role@version it runs (pinned when planned, moved by upgrades); "" = unknown
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

struct Event {
  std::int64_t id = 0;
  std::int64_t node_id = 0;
  std::string node_name;
  std::int64_t ts_ms = 0;
  std::string phase;
  std::string kind;  // state | progress | log | error
  std::string message;
  nlohmann::json data = nlohmann::json::object();
};

// What the boot policy needs to answer a machine, by its MAC.
struct BootEntry {
  std::int64_t id = 0;
  std::string name;
  NodeState state = NodeState::enrolled;
  std::string goal;
};

struct NewNode {
  std::string name;
  std::optional<std::string> mac;
  std::optional<std::string> bmc;           // without password
  std::optional<std::string> bmc_password;
};

// Names: 1–63 characters of [a-z0-9-], not starting with '-': a valid hostname label, so a
// node name can become its hostname and appear in URLs and paths unescaped.
bool valid_node_name(std::string_view name);

class Inventory {
 public:
  // BMC passwords are sealed under the key in kSecretKeyFile beside db_file.
  static Result<Inventory> open(const std::filesystem::path& db_file);
  // On a connection shared with the other stores (migrates the schema first, then seals any
  // BMC password an older version stored in clear).
  static Result<Inventory> open(store::Db db, std::shared_ptr<const SecretBox> secrets);

  Inventory(Inventory&&) noexcept;
  Inventory& operator=(Inventory&&) noexcept;

  store::Db& db() { return db_; }
  // Memory only: what the last committed write left for this MAC.
  std::optional<BootEntry> boot_entry(std::string_view mac) const;

  Result<Node> add_node(const NewNode& n);
  // An unknown machine that PXE-booted: enrolled as "auto-<mac without colons>".
  Result<Node> discover(const std::string& mac);
  Result<std::optional<Node>> get(std::int64_t id);
  Result<std::optional<Node>> find_by_name(std::string_view name);
  Result<std::optional<Node>> find_by_mac(std::string_view mac);
  Result<std::vector<Node>> list();

  // Moves a node to `to` if the state machine allows it, recording an event. On failed, the
  // message is the reason and phase is where it happened.
  Result<Node> transition(std::int64_t id, NodeState to, std::string_view phase, std::string_view message,
                          const nlohmann::json& data = nlohmann::json::object());
  Result<std::int64_t> record_event(std::int64_t id, std::string_view phase, std::string_view kind,
                                    std::string_view message, const nlohmann::json& data = nlohmann::json::object());
  // Events of one node (node_id > 0) or of all nodes (node_id == 0), with id > after_id.
  Result<std::vector<Event>> events(std::int64_t node_id, std::int64_t after_id = 0, int limit = 1000);

  Result<void> set_facts(std::int64_t id, const std::string& facts_json);
  Result<void> set_match(std::int64_t id, const std::string& role, const nlohmann::json& allocation,
                         const nlohmann::json& variables);
  Result<void> set_mac(std::int64_t id, const std::string& mac);
  Result<void> set_goal(std::int64_t id, std::string_view goal);
  Result<void> set_image(std::int64_t id, std::string_view image);
  // The node's BMC password, unsealed.
  Result<std::optional<std::string>> bmc_password(std::int64_t id);

  // Issues a fresh per-node agent token (the previous one stops working). Only its SHA-256 is
  // stored: a leaked database does not leak working tokens.
  Result<std::string> issue_token(std::int64_t id);
  // Stores a token made elsewhere (the boot policy makes it in memory, a worker stores it).
  Result<void> set_token(std::int64_t id, std::string_view token);
  Result<std::optional<Node>> node_for_token(std::string_view token);

  Result<void> remove(std::int64_t id);

 private:
  struct BootView;
  Inventory(store::Db db, std::shared_ptr<const SecretBox> secrets);
  Result<void> seal_clear_passwords();
  Result<std::optional<Node>> find_one(std::string_view where, std::string_view value);
  // After a write to node id: its boot entry refreshed, the node as it now is.
  Result<Node> written(std::int64_t id);
  Result<void> set_column(std::int64_t id, std::string_view column, std::string_view value);
  Result<void> load_boot_view();
  // After the write's transaction ends, re-reads the node's boot entry from what committed.
  void refresh_boot_entry(std::int64_t id);

  store::Db db_;
  std::shared_ptr<const SecretBox> secrets_;
  std::shared_ptr<BootView> boot_;
};

std::int64_t now_ms();
nlohmann::json to_json(const Node& n);   // safe for the API: no password, no token hash
nlohmann::json to_json(const Event& e);

}  // namespace ingot::inventory
