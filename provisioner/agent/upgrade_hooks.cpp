#include "provisioner/agent/upgrade_hooks.h"

namespace ingot::agent {

Result<std::string> run_hook(CommandRunner& runner, const std::string& which, const std::string& program,
                             const HookEnv& env) {
  std::vector<std::string> argv = {"env",
                                   "INGOT_UPGRADE_FROM=" + env.from_version,
                                   "INGOT_UPGRADE_TO=" + env.to_version,
                                   "INGOT_UPGRADE_ROOT=" + env.root.string(),
                                   std::string("INGOT_UPGRADE_REBOOT=") + (env.reboot ? "1" : "0")};
  bool chrooted = std::filesystem::weakly_canonical(env.root) != "/";
  if (chrooted) {
    argv.push_back("chroot");
    argv.push_back(env.root.string());
  }
  argv.push_back(program);
  auto r = runner.check(argv, {}, kHookTimeout);
  if (!r) return fail("the " + which + " hook " + program + " failed: " + r.error().message());
  return r;
}

}  // namespace ingot::agent
