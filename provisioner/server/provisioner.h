// The provisioning server's core, under the HTTP routes: the inventory, role selection, node
// lifecycle decisions, power through the BMC, and what each agent is told. One object per
// `ingot serve`; every decision is written to SQLite before it is answered.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
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
  // A power-on that never leads to a report within this time fails the node (seconds).
  std::int64_t reservation_ttl_s = 3600;
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

// An operator-visible failure: an HTTP status and a message that says what to do.
struct ApiError {
  int status = 400;
  std::string message;
};
template <typename T>
using ApiResult = std::variant<T, ApiError>;

class Provisioner {
 public:
  static Result<std::unique_ptr<Provisioner>> open(asio::io_context& io, ServerConfig cfg,
                                                   power::PowerDriverFactory power_factory);
  ~Provisioner();

  pxe::BootPolicy& boot_policy() { return *policy_; }
  inventory::Inventory& inventory() { return inv_; }
  const ServerConfig& config() const { return cfg_; }
  const std::vector<hwmatch::Role>& roles() const { return roles_; }

  // Operator side.
  ApiResult<inventory::Node> enrol(const nlohmann::json& body);
  ApiResult<inventory::Node> request_deploy(const std::string& name);
  ApiResult<inventory::Node> retire(const std::string& name);
  ApiResult<inventory::Node> node(const std::string& name);
  // Runs a power action on the node's BMC off the network thread; the event log gets the result.
  asio::awaitable<ApiResult<nlohmann::json>> power(std::string name, std::string action);

  // Agent side (the node is the token's).
  ApiResult<nlohmann::json> agent_facts(const inventory::Node& node, const nlohmann::json& body);
  ApiResult<nlohmann::json> agent_report(const inventory::Node& node, const nlohmann::json& body);
  ApiResult<nlohmann::json> agent_config(const inventory::Node& node, const std::string& token);
  ApiResult<nlohmann::json> agent_callback(const inventory::Node& node, const nlohmann::json& body);

  RoleDeploy role_deploy(const std::string& role) const;
  UpgradeCoordinator& upgrades() { return *upgrades_; }
  // Starts the periodic sweep that fails silent upgrading agents and moves rollouts on (also
  // right away: a restarted server picks up where it was). Not in open(): unit tests drive
  // io_context::run() to completion and a perpetual timer would never let it return.
  void start_upgrade_watch();

 private:
  Provisioner(asio::io_context& io, ServerConfig cfg, inventory::Inventory inv, store::Db assignments_db,
              power::PowerDriverFactory factory);
  Result<void> load_roles();
  void fail_node(const inventory::Node& n, const std::string& phase, const std::string& why);
  // Gives the node's pool allocation back (a failed deploy frees its slot, a retired node its
  // hostname) and clears it in the inventory too, so no two nodes ever show the same hostname.
  void release_allocation(const inventory::Node& n);
  // After "deployed": wait for the machine to power off, boot from disk, power on.
  asio::awaitable<void> boot_from_disk(std::int64_t node_id);
  asio::awaitable<Result<void>> pxe_power_on(std::int64_t node_id);
  asio::awaitable<void> upgrade_watch();
  // "role@latest" / "" → the newest stored version, so a node records what it really runs.
  std::string pin_image(const std::string& role, const std::string& image) const;
  Result<power::BmcAddress> bmc_of(const inventory::Node& n);

  asio::io_context& io_;
  ServerConfig cfg_;
  inventory::Inventory inv_;
  store::Db assignments_db_;
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
