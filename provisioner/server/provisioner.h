// The provisioning server's core, under the HTTP routes: the inventory, role selection, node
// lifecycle decisions, power through the BMC, and what each agent is told. One object per
// `ingot serve`, one SQLite connection shared by its stores. Every decision is one transaction,
// written before it is answered: when the write fails, the answer is the error (500 at the API
// edge) and the node is as it was. Errors are Result with ServerError codes (server_error.h).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/asio.h"
#include "common/result.h"
#include "hwmatch/pool_set.h"
#include "hwmatch/role.h"
#include "hwmatch/selector.h"
#include "provisioner/boot/provisioner_policy.h"
#include "provisioner/inventory/inventory.h"
#include "provisioner/power/power_service.h"
#include "provisioner/server/server_error.h"
#include "provisioner/store/sqlite_assignment_store.h"

namespace ingot::server {

class UpgradeCoordinator;

struct ServerConfig {
  std::filesystem::path state_dir = "/var/lib/ingot";  // ingot.db, images/, keys, ramdisk/
  std::filesystem::path roles_dir;                      // order + <role>/hardware.spec, pools.json, deploy.json
  std::string server_url;                               // how machines reach us: http://198.18.0.1:8080
  std::string admin_token;                              // operator bearer token
  std::string ramdisk_cmdline = "console=ttyS0,115200";
  std::string deploy_cmdline = "ro console=ttyS0,115200";
  std::vector<std::string> ssh_keys;
  // A role slot reserved at match time and not committed by `deployed` within this time is
  // released by the sweep (seconds, from the node's last match): a deploying node is failed,
  // an inspected one keeps its state but loses the slot and its pool allocation.
  std::int64_t reservation_ttl_s = 3600;
  // Unknown machines that PXE-boot: ignored unless enabled (boot/provisioner_policy.h).
  boot::DiscoveryConfig discovery;
  std::filesystem::path image_store;  // "" = <state_dir>/images
  // An upgrading node's agent silent this long counts as failed (0 = kDefaultUpgradeReportTimeoutS).
  std::int64_t upgrade_report_timeout_s = 0;
};

// Per role, what a deploy lays down (roles/<role>/deploy.json; all optional):
//   {"image": "compute@3", "layout": [...], "cmdline": "...", "disk": "sda"}
struct RoleDeploy {
  std::string image;  // role@version, "" = newest stored version of the role's name
  nlohmann::json layout;
  std::string cmdline;
  std::string disk;
};

class Provisioner {
 public:
  static Result<std::unique_ptr<Provisioner>> open(asio::io_context& io, ServerConfig cfg,
                                                   power::PowerDriverFactory power_factory);
  ~Provisioner();

  boot::ProvisionerPolicy& boot_policy() { return *policy_; }
  inventory::Inventory& inventory() { return inv_; }
  const ServerConfig& config() const { return cfg_; }
  const std::vector<hwmatch::Role>& roles() const { return roles_; }

  // Operator side.
  Result<inventory::Node> enrol(const nlohmann::json& body);
  Result<inventory::Node> request_deploy(const std::string& name);
  Result<inventory::Node> retire(const std::string& name);
  Result<inventory::Node> node(const std::string& name);
  // Runs a power action on the node's BMC off the network thread; the event log gets the result.
  asio::awaitable<Result<nlohmann::json>> power(std::string name, std::string action);

  // Agent side (the node is the token's): agent_requests.cpp.
  Result<nlohmann::json> agent_facts(const inventory::Node& node, const nlohmann::json& body);
  Result<nlohmann::json> agent_report(const inventory::Node& node, const nlohmann::json& body);
  Result<nlohmann::json> agent_config(const inventory::Node& node, const std::string& token);
  Result<nlohmann::json> agent_callback(const inventory::Node& node, const nlohmann::json& body);

  RoleDeploy role_deploy(const std::string& role) const;
  UpgradeCoordinator& upgrades() { return *upgrades_; }
  // Starts the periodic sweeps (also right away: a restarted server picks up where it was):
  // silent upgrading agents fail and rollouts move on; reservations past their TTL are
  // released. Not in open(): unit tests drive io_context::run() to completion and a perpetual
  // timer would never let it return.
  void start_sweeps();
  // One pass of the reservation sweep at `now_s` (seconds): how many reservations it released.
  Result<std::size_t> expire_reservations(std::int64_t now_s);

 private:
  Provisioner(asio::io_context& io, ServerConfig cfg, store::Db db, inventory::Inventory inv,
              power::PowerDriverFactory factory);
  Result<void> load_roles();
  // The node fails in `phase` and gives back its role slot and allocation (joins the caller's
  // transaction, else is one).
  Result<void> fail_node(const inventory::Node& n, const std::string& phase, const std::string& why);
  // fail_node for flows nobody waits on (power, reboot): a failure to record it is logged.
  void fail_node_logged(const inventory::Node& n, const std::string& phase, const std::string& why);
  // Gives the node's pool allocation back (a failed deploy frees its slot, a retired node its
  // hostname) and clears it in the inventory too, so no two nodes ever show the same hostname.
  Result<void> release_allocation(const inventory::Node& n);
  // An event on the node's timeline from a flow nobody waits on; a failed write is logged.
  void note(std::int64_t node_id, const std::string& phase, const std::string& kind, const std::string& message);
  // The match, inside agent_facts' transaction: facts stored, role selected and reserved,
  // allocation, plan. A refusal (no role matches) is written, then handed back in `refusal`.
  Result<nlohmann::json> match(const inventory::Node& n, const std::string& facts_text, const hwmatch::Facts& facts,
                               std::optional<Error>& refusal);
  // After "deployed": wait for the machine to power off, boot from disk, power on.
  asio::awaitable<void> boot_from_disk(std::int64_t node_id);
  asio::awaitable<Result<void>> pxe_power_on(std::int64_t node_id);
  asio::awaitable<void> sweep_loop();
  // "role@latest" / "" → the newest stored version, so a node records what it really runs.
  std::string pin_image(const std::string& role, const std::string& image) const;
  Result<power::BmcAddress> bmc_of(const inventory::Node& n);

  asio::io_context& io_;
  ServerConfig cfg_;
  store::Db db_;  // the one connection: inventory, assignments and rollouts share it
  inventory::Inventory inv_;
  store::SqliteAssignmentStore assignments_;
  std::vector<hwmatch::Role> roles_;
  std::map<std::string, RoleDeploy> deploys_;
  std::map<std::string, hwmatch::RolePools> pools_;
  std::unique_ptr<hwmatch::Selector> selector_;
  std::unique_ptr<boot::ProvisionerPolicy> policy_;
  std::unique_ptr<power::PowerService> power_;
  std::unique_ptr<UpgradeCoordinator> upgrades_;
};

}  // namespace ingot::server
