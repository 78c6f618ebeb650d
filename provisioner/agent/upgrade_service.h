// The agent's upgrade service on a deployed node: finds the server and the node token (the
// root's /etc/ingot/handoff.json and node.token, written at deploy), polls
// GET /api/v1/agent/upgrade, runs the engine and POSTs each step to /api/v1/agent/upgrade
// (provisioner/UPGRADES.md, "Agent ↔ server"); a server that is away is retried next interval.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "common/result.h"
#include "provisioner/agent/upgrade_engine.h"

namespace ingot::agent {

struct Connection {
  std::string server;  // base URL
  std::string token;   // bearer token, may be empty for the public /images/v1 routes
};

// Explicit values win; otherwise the handoff files under root. need_token: the agent API needs it.
Result<Connection> connection(const std::filesystem::path& root, const std::optional<std::string>& server,
                              const std::optional<std::string>& token_file, bool need_token);

struct ServiceOptions {
  std::filesystem::path root = "/";
  Connection conn;
  bool reboot = true;  // run `reboot` after a commit that needs one
};

// One upgrade from the server's image routes; reboots after a reboot-pending commit if asked.
Result<UpgradeOutcome> upgrade_once(const ServiceOptions& opt, const UpgradeRequest& req, const UpgradeReporter& report);

// The loop (or one poll). Returns the process exit code.
int serve_upgrades(const ServiceOptions& opt, bool once, std::chrono::seconds interval);

}  // namespace ingot::agent
