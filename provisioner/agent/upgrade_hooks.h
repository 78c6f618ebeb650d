// The role's pre and post upgrade hooks (provisioner/UPGRADES.md): programs inside the root, run
// chrooted into it when the root is not "/", with INGOT_UPGRADE_FROM, INGOT_UPGRADE_TO
// (versions), INGOT_UPGRADE_ROOT and INGOT_UPGRADE_REBOOT (0|1) in their environment.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "common/result.h"
#include "common/command_runner.h"

namespace ingot::agent {

// A hook restarts services or migrates data; one that runs longer is stuck.
inline constexpr std::chrono::seconds kHookTimeout{600};

struct HookEnv {
  std::string from_version;
  std::string to_version;
  std::filesystem::path root;
  bool reboot = false;
};

// program: absolute path as seen inside the root. Fails with the hook's exit code and output tail.
Result<std::string> run_hook(CommandRunner& runner, const std::string& which, const std::string& program,
                             const HookEnv& env);

}  // namespace ingot::agent
