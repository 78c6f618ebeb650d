#include "provisioner/agent/deploy_flow.h"

#include <chrono>
#include <fstream>

#include "common/log.h"
#include "hwmatch/detect.h"
#include "hwmatch/facts.h"
#include "provisioner/agent/bootloader.h"
#include "provisioner/agent/disk_setup.h"
#include "provisioner/agent/image_state.h"

namespace ingot::agent {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

class Reporter {
 public:
  explicit Reporter(ServerClient& s) : server_(s) {}
  void send(const std::string& phase, const std::string& status, const std::string& message, json data = json::object()) {
    json body = {{"phase", phase}, {"status", status}, {"message", message}, {"data", std::move(data)}};
    auto r = server_.post_json("/api/v1/agent/report", body);
    if (!r) {
      INGOT_LOG(warn, "agent") << "report " << phase << "/" << status << " not delivered: " << r.error().message();
    }
  }

 private:
  ServerClient& server_;
};

// Runs one phase: start and done/failed reports around it, with its duration.
template <typename F>
auto phase(Reporter& rep, const std::string& name, const std::string& what, F&& body) -> decltype(body()) {
  auto t0 = std::chrono::steady_clock::now();
  INGOT_LOG(info, "agent") << name << ": " << what;
  rep.send(name, "start", what);
  auto r = body();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!r) {
    INGOT_LOG(error, "agent") << name << " failed: " << r.error().message();
    rep.send(name, "failed", r.error().message(), {{"seconds", secs}});
  } else {
    rep.send(name, "done", what, {{"seconds", secs}});
  }
  return r;
}

Result<void> write_files(const fs::path& target, const json& files) {
  if (!files.is_object()) return fail("config: expected an object of files");
  for (auto& [path, f] : files.items()) {
    // The server is trusted, but a path outside the target is a bug worth stopping for.
    if (path.empty() || path[0] != '/' || path.find("/../") != std::string::npos || path.ends_with("/.."))
      return fail("config: refusing path '" + path + "'");
    fs::path dest = target / path.substr(1);
    std::error_code ec;
    fs::create_directories(dest.parent_path(), ec);
    if (ec) return fail(ec, "config: create " + dest.parent_path().string());
    fs::path tmp = dest;
    tmp += ".ingot-tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << f.value("content", "");
      if (!out) return fail("config: write " + dest.string());
    }
    fs::permissions(tmp, static_cast<fs::perms>(f.value("mode", 0644)), ec);
    fs::rename(tmp, dest, ec);
    if (ec) return fail(ec, "config: rename " + dest.string());
  }
  return ok();
}

}  // namespace

Result<DeployOutcome> run_deploy(ServerClient& server, CommandRunner& runner, const ImageInstaller& install,
                                 const DeployEnv& env) {
  Reporter rep(server);
  DeployOutcome outcome;

  hwmatch::Facts facts;
  auto plan = phase(rep, "inspect", "detect hardware and ask for a plan", [&]() -> Result<json> {
    auto detected = hwmatch::detect(env.detect_root);
    facts = detected.facts;
    json body = {{"facts", json::array()}, {"notes", detected.notes}, {"uefi", env.uefi_booted}};
    for (auto& f : facts) body["facts"].push_back({f.cls, f.name, f.key, f.value});
    return server.post_json("/api/v1/agent/facts", body);
  });
  if (!plan) return fail(plan.error());
  outcome.action = plan->value("action", "");
  std::string after = plan->value("after", "poweroff");
  outcome.after = after == "reboot" ? AfterDeploy::reboot : after == "none" ? AfterDeploy::none : AfterDeploy::poweroff;
  if (outcome.action != "deploy") return outcome;

  std::vector<Partition> parts = default_partitions();
  if (plan->contains("layout") && !(*plan)["layout"].is_null()) {
    auto p = partitions_from_json((*plan)["layout"]);
    if (!p) {
      rep.send("partition", "failed", p.error().message());
      return fail(p.error());
    }
    parts = *p;
  }
  PreparedDisk disk;
  auto partitioned = phase(rep, "partition", "partition and format the install disk", [&]() -> Result<void> {
    auto chosen = choose_disk(facts, plan->value("disk", ""), minimum_disk_mib(parts));
    if (!chosen) return fail(chosen.error());
    auto prepared = partition_and_format(runner, DiskLayout{*chosen, parts});
    if (!prepared) return fail(prepared.error());
    disk = *prepared;
    return mount_target(runner, disk, env.target);
  });
  if (!partitioned) return fail(partitioned.error());

  // From here on the target is mounted: unmount it whatever happens next.
  auto work = [&]() -> Result<void> {
    auto synced = phase(rep, "image", "lay the role image " + plan->value("image", "?"), [&]() -> Result<SyncStats> {
      return install(*plan, env.target, [&](const json& p) { rep.send("image", "progress", "syncing", p); });
    });
    if (!synced) return fail(synced.error());
    auto configured = phase(rep, "config", "write the node's configuration", [&]() -> Result<void> {
      auto cfg = server.get_json("/api/v1/agent/config");
      if (!cfg) return fail(cfg.error());
      json files = (*cfg)["files"];
      files["/etc/fstab"] = {{"content", fstab(disk)}, {"mode", 0644}};
      if (auto w = write_files(env.target, files); !w) return w;
      // Upgrades keep these files as they keep the recipe's keep list (provisioner/UPGRADES.md).
      std::vector<std::string> written;
      for (auto& [path, f] : files.items()) written.push_back(path);
      return write_node_config_list(env.target, written);
    });
    if (!configured) return configured;
    return phase(rep, "bootloader", "install GRUB for BIOS and UEFI", [&]() -> Result<void> {
      BootloaderPlan bp{env.target, disk.layout.disk, disk.root_uuid};
      if (plan->contains("cmdline") && (*plan)["cmdline"].is_string()) bp.cmdline = (*plan)["cmdline"].get<std::string>();
      return install_bootloader(runner, bp);
    });
  };
  auto done = work();
  (void)runner.run({"sync"});
  auto unmounted = unmount_target(runner, disk, env.target);
  if (!done) return fail(done.error());
  if (!unmounted) return fail(unmounted.error());
  rep.send("deployed", "done", "the disk holds the role image and its configuration");
  return outcome;
}

}  // namespace ingot::agent
