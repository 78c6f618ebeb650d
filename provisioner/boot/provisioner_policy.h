// The provisioner's answer to "what should this machine boot?" (pxe::BootPolicy):
//   unknown MAC        → auto-enrol, inspect: the deploy ramdisk in inspect mode
//   enrolled           → the ramdisk (inspect, or deploy when the operator asked for it)
//   inspecting … deploying → the ramdisk with the node's token, so an interrupted deploy resumes
//   deployed/configured → boot from local disk
//   failed/retired     → stay silent until the operator acts
// The per-node token goes on the kernel command line; only its digest is stored, so the raw
// token is kept in memory for repeated asks (DHCP, then the script) and reissued after a restart.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "provisioner/inventory/inventory.h"
#include "pxe/boot_policy.h"

namespace ingot::boot {

struct RamdiskConfig {
  std::string kernel = "ingot/ramdisk/vmlinuz";     // path under the HTTP root, or a URL
  std::string initrd = "ingot/ramdisk/initrd.img";
  std::string server_url;                          // what the agent calls: http://198.18.0.1:8080
  std::string extra_cmdline = "console=ttyS0,115200 console=tty0";
};

class ProvisionerPolicy final : public pxe::BootPolicy {
 public:
  ProvisionerPolicy(inventory::Inventory& inv, RamdiskConfig cfg) : inv_(inv), cfg_(std::move(cfg)) {}

  pxe::BootDecision decide(const pxe::Machine& machine) override;

  // Forget a node's cached token (after re-deploy or retire), so the next boot gets a new one.
  void forget_token(std::int64_t node_id);

 private:
  pxe::BootDecision ramdisk(const inventory::Node& node, const std::string& mode);

  inventory::Inventory& inv_;
  RamdiskConfig cfg_;
  std::mutex mu_;
  std::map<std::int64_t, std::string> tokens_;
};

}  // namespace ingot::boot
