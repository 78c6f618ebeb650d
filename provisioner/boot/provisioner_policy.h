// The provisioner's answer to "what should this machine boot?" (pxe::BootPolicy):
//   unknown MAC        → silence; with discovery on (ingot serve --discover), auto-enrol up to
//                        a cap and a rate, goal "discovered": the ramdisk in inspect mode, which
//                        reports facts and reserves nothing until the operator deploys the node
//   enrolled           → the ramdisk (inspect, or deploy when the operator asked for it)
//   inspecting … deploying → the ramdisk with the node's token, so an interrupted deploy resumes
//   deployed/configured → boot from local disk
//   failed/retired     → stay silent until the operator acts
// decide() runs on the network thread for every DHCP packet and script fetch, so it answers
// from memory only (the inventory's boot entries and the tokens it made); what the answer
// implies — enrolling the machine, its move to inspecting, the token's digest — is written by
// one worker thread after the answer is sent. decide() may be called many times per boot:
// every queued write is idempotent.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "common/asio.h"
#include "provisioner/inventory/inventory.h"
#include "pxe/boot_policy.h"

namespace ingot::boot {

// Discovery is off by default: on a hostile network every MAC is free to invent. When on, a
// cap on discovered nodes and a rate bound what fake machines can cost (nodes, rows, events).
inline constexpr std::size_t kDefaultDiscoveryCap = 256;
inline constexpr double kDiscoveriesPerSecond = 1.0;  // a rack powering on is a burst, then quiet
inline constexpr double kDiscoveryBurst = 32;

struct DiscoveryConfig {
  bool enabled = false;
  std::size_t cap = kDefaultDiscoveryCap;  // discovered nodes in the inventory, at most
};

// The goal of a node the boot plane enrolled: it inspects, and nothing is reserved for it.
inline constexpr const char* kDiscoveredGoal = "discovered";

struct RamdiskConfig {
  std::string kernel = "ingot/ramdisk/vmlinuz";     // path under the HTTP root, or a URL
  std::string initrd = "ingot/ramdisk/initrd.img";
  std::string server_url;                          // what the agent calls: http://198.18.0.1:8080
  std::string extra_cmdline = "console=ttyS0,115200 console=tty0";
};

class ProvisionerPolicy final : public pxe::BootPolicy {
 public:
  ProvisionerPolicy(inventory::Inventory& inv, RamdiskConfig cfg, DiscoveryConfig discovery = {});
  // Finishes the queued writes first.
  ~ProvisionerPolicy() override;

  pxe::BootDecision decide(const pxe::Machine& machine) override;

  // Forget a node's cached token (after re-deploy or retire), so the next boot gets a new one.
  void forget_token(const inventory::Node& node);
  // Returns once every write queued before the call is done (tests; an orderly stop).
  void drain();

 private:
  pxe::BootDecision ramdisk(const std::string& mac, std::int64_t node_id, const std::string& mode);
  pxe::BootDecision enrol(const std::string& mac);
  void write(std::function<void()> job);

  inventory::Inventory& inv_;
  RamdiskConfig cfg_;
  std::mutex mu_;
  std::map<std::string, std::string> tokens_;  // MAC → the raw token its machine was given
  std::set<std::string> enrolling_;            // MACs whose enrolment is queued
  DiscoveryConfig discovery_;
  std::size_t discovered_ = 0;                 // discovered nodes, counted at start and on enrolment
  double bucket_ = kDiscoveryBurst;            // discovery rate: tokens, refilled over time
  std::chrono::steady_clock::time_point refilled_ = std::chrono::steady_clock::now();
  asio::thread_pool writer_{1};                // one thread: writes land in the order decided
};

}  // namespace ingot::boot
