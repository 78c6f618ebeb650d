// `ingot-agent upgrade`: the deployed node's image upgrades (issue 8, provisioner/UPGRADES.md).
//   --recover                 settle an interrupted upgrade (at boot, before anything writes)
//   --loop [--interval S] | --once   poll the server for a target, upgrade, report
//   --to ROLE@V [--dry-run] [--drift overwrite|stop]   one direct upgrade, without a rollout
// Common: --root R (default /), --server URL and --token-file F (default: the root's
// /etc/ingot/handoff.json and /etc/ingot/node.token), --no-reboot (tests), --json.
// Exit: 0 done (or dry run, or nothing to do), 1 failed or rolled back, 2 usage.
#include <chrono>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/cli.h"
#include "common/log.h"
#include "imagebuilder/file_io.h"
#include "provisioner/agent/upgrade_engine.h"
#include "provisioner/agent/upgrade_service.h"

namespace {
namespace fs = std::filesystem;
using namespace ingot::agent;
using nlohmann::json;

constexpr const char* kUsage =
    "usage: ingot-agent upgrade --to ROLE@V [--server URL] [--root R] [--dry-run] [--drift overwrite|stop] [--json]\n"
    "       ingot-agent upgrade --recover [--root R]\n"
    "       ingot-agent upgrade --loop [--interval S] | --once [--server URL] [--token-file F] [--root R]\n"
    "       (--no-reboot: leave a reboot-pending upgrade for the operator)\n";

void print_outcome(const UpgradeOutcome& o, bool as_json) {
  if (as_json) {
    std::cout << json{{"status", o.status}, {"from", o.from}, {"to", o.to}, {"message", o.message}, {"data", o.data}}.dump()
              << "\n";
    return;
  }
  std::cout << "upgrade " << o.status << ": " << o.from << " -> " << o.to;
  if (!o.message.empty()) std::cout << ": " << o.message;
  std::cout << "\n";
  for (auto& [k, v] : o.data.items())
    if (!v.is_object()) std::cout << "  " << k << ": " << v.dump() << "\n";
}

int exit_code(const std::string& status) {
  return status == "done" || status == "dry-run" || status == "reboot-pending" ? 0 : 1;
}

int run(const ingot::cli::Args& args) {
  ingot::cli::Flags f(args, {"to", "server", "token-file", "root", "drift", "interval"},
                      {"recover", "loop", "once", "dry-run", "no-reboot", "json"});
  if (!f.ok() || !f.positional().empty()) {
    std::cerr << "ingot-agent upgrade: " << (f.ok() ? "unexpected argument " + f.positional()[0] : f.error()) << "\n" << kUsage;
    return 2;
  }
  int modes = f.has("recover") + f.has("loop") + f.has("once") + f.has("to");
  if (modes != 1) {
    std::cerr << "ingot-agent upgrade: give exactly one of --to, --recover, --loop, --once\n" << kUsage;
    return 2;
  }
  ServiceOptions opt;
  opt.root = f.get_or("root", "/");
  opt.reboot = !f.has("no-reboot");
  std::error_code ec;
  if (!fs::is_directory(opt.root, ec)) {
    std::cerr << "ingot-agent upgrade: --root " << opt.root.string() << " is not a directory\n";
    return 2;
  }
  std::string drift = f.get_or("drift", "stop");
  if (drift != "stop" && drift != "overwrite") {
    std::cerr << "ingot-agent upgrade: --drift must be overwrite or stop\n";
    return 2;
  }
  if (f.has("recover")) {
    auto o = recover_upgrade(opt.root);
    if (!o) {
      std::cerr << "ingot-agent upgrade --recover: " << o.error().message() << "\n";
      return 1;
    }
    if (!*o) {
      std::cout << "upgrade: nothing to recover\n";
      return 0;
    }
    print_outcome(**o, f.has("json"));
    return (*o)->status == "failed" && (*o)->reboot ? 1 : 0;  // rolled back to an exact n is a clean root
  }
  auto conn = connection(opt.root, f.get("server"), f.get("token-file"), !f.has("to"));
  if (!conn) {
    std::cerr << "ingot-agent upgrade: " << conn.error().message() << "\n";
    return 2;
  }
  opt.conn = *conn;
  if (f.has("to")) {
    UpgradeRequest req;
    req.root = opt.root;
    req.target = *f.get("to");
    req.dry_run = f.has("dry-run");
    req.drift = drift == "overwrite" ? DriftPolicy::overwrite : DriftPolicy::stop;
    auto o = upgrade_once(opt, req, [](const std::string& status, const std::string& message, const json&) {
      std::cerr << "upgrade: " << status << (message.empty() ? "" : ": " + message) << "\n";
    });
    if (!o) {
      std::cerr << "ingot-agent upgrade: " << o.error().message() << "\n";
      return 1;
    }
    print_outcome(*o, f.has("json"));
    return exit_code(o->status);
  }
  std::string iv = f.get_or("interval", "60");
  if (iv.empty() || iv.size() > 6 || iv.find_first_not_of("0123456789") != std::string::npos || std::stoi(iv) == 0) {
    std::cerr << "ingot-agent upgrade: --interval must be a positive number of seconds\n";
    return 2;
  }
  return serve_upgrades(opt, f.has("once"), std::chrono::seconds(std::stoi(iv)));
}

}  // namespace

INGOT_COMMAND("upgrade", "upgrade this node's image: --to ROLE@V, --loop (from the server), --recover (at boot)", run);
