// What the agent does in the deploy ramdisk, phase by phase, reporting each to the server:
//   inspect (detect, post facts) → the server answers with a plan
//   partition → image (lay the role image onto the mounted target) → config (the node's files
//   and fstab) → bootloader → deployed → power off (the server switches boot to disk and powers
//   the machine back on) or reboot (machines without a BMC).
// A failure reports its phase and the tail of the log; nothing is marked deployed unless every
// phase finished.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "common/command_runner.h"
#include "common/server_client.h"

namespace ingot::agent {

struct SyncStats {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;  // bytes fetched from the server
};

// Lays the plan's image onto target (the sync engine); reports progress through `progress`.
using ImageInstaller = std::function<Result<SyncStats>(const nlohmann::json& plan, const std::filesystem::path& target,
                                                       const std::function<void(const nlohmann::json&)>& progress)>;

struct DeployEnv {
  std::filesystem::path detect_root = "/";
  std::filesystem::path target = "/mnt/target";
  bool uefi_booted = false;  // /sys/firmware/efi exists (for the report; both bootloaders are installed)
};

enum class AfterDeploy { poweroff, reboot, none };

struct DeployOutcome {
  std::string action;  // what the plan asked: deploy | inspect
  AfterDeploy after = AfterDeploy::none;
};

Result<DeployOutcome> run_deploy(ServerClient& server, CommandRunner& runner, const ImageInstaller& install,
                                 const DeployEnv& env);

}  // namespace ingot::agent
