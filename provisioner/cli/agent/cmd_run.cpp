// `ingot-agent run`: the deploy ramdisk's job. Reads the server URL and token from the kernel
// command line (or --server/--token), runs the deploy flow, and exits with what /init should do:
// 0 power off, 3 reboot, 1 failure (reported to the server with its phase).
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/cli.h"
#include "common/log.h"
#include "provisioner/agent/deploy_flow.h"
#include "provisioner/agent/image_install.h"
#include "provisioner/agent/kernel_cmdline.h"

namespace {

int run(const ingot::cli::Args& args) {
  using namespace ingot::agent;
  using ingot::ServerClient;
  using ingot::SystemRunner;
  ingot::cli::Flags f(args, {"server", "token", "cmdline-file", "target", "detect-root"});
  if (!f.ok()) {
    std::cerr << "ingot-agent run: " << f.error() << "\n";
    return 2;
  }
  std::string server = f.get_or("server", ""), token = f.get_or("token", "");
  if (server.empty() || token.empty()) {
    std::ifstream in(f.get_or("cmdline-file", "/proc/cmdline"));
    std::stringstream ss;
    ss << in.rdbuf();
    auto boot = agent_boot_from_cmdline(ss.str());
    if (!boot) {
      std::cerr << "ingot-agent run: " << boot.error().message() << "\n";
      return 1;
    }
    server = boot->server;
    token = boot->token;
  }
  ServerClient client(server, token);
  SystemRunner runner;
  DeployEnv env;
  env.target = f.get_or("target", "/mnt/target");
  env.detect_root = f.get_or("detect-root", "/");
  env.uefi_booted = std::filesystem::exists("/sys/firmware/efi");
  auto installer = [&](const nlohmann::json& plan, const std::filesystem::path& target,
                       const std::function<void(const nlohmann::json&)>& progress) {
    return install_image(server, token, plan, target, progress);
  };
  auto outcome = run_deploy(client, runner, installer, env);
  if (!outcome) {
    std::cerr << "ingot-agent run: " << outcome.error().message() << "\n";
    return 1;
  }
  std::cout << "ingot-agent: " << (outcome->action.empty() ? "done" : outcome->action) << "\n";
  return outcome->after == AfterDeploy::reboot ? 3 : 0;
}

}  // namespace

INGOT_COMMAND("run", "deploy this machine: detect, get the plan, partition, lay the image, configure, install GRUB", run);
