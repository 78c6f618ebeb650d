#include "provisioner/boot/provisioner_policy.h"

#include <algorithm>
#include <future>

#include "common/log.h"
#include "provisioner/inventory/token.h"

namespace ingot::boot {

using inventory::NodeState;
using pxe::BootDecision;

ProvisionerPolicy::ProvisionerPolicy(inventory::Inventory& inv, RamdiskConfig cfg, DiscoveryConfig discovery)
    : inv_(inv), cfg_(std::move(cfg)), discovery_(discovery) {
  // Counted once here, off the network path; enrolments then add to it.
  if (auto nodes = inv_.list())
    for (auto& n : *nodes) discovered_ += n.goal == kDiscoveredGoal;
}

ProvisionerPolicy::~ProvisionerPolicy() { writer_.join(); }

void ProvisionerPolicy::write(std::function<void()> job) { asio::post(writer_, std::move(job)); }

void ProvisionerPolicy::drain() {
  std::promise<void> done;
  write([&done] { done.set_value(); });
  done.get_future().wait();
}

void ProvisionerPolicy::forget_token(const inventory::Node& node) {
  if (!node.mac) return;
  std::lock_guard lock(mu_);
  tokens_.erase(*node.mac);
}

// The token a machine's ramdisk gets on its command line: made here, in memory, the first time
// the machine asks; its digest is stored by the writer (node_id 0: by the enrolment job).
BootDecision ProvisionerPolicy::ramdisk(const std::string& mac, std::int64_t node_id, const std::string& mode) {
  std::string token;
  bool fresh = false;
  {
    std::lock_guard lock(mu_);
    auto [it, inserted] = tokens_.try_emplace(mac);
    if (inserted) it->second = inventory::random_token();
    token = it->second;
    fresh = inserted;
  }
  if (fresh && node_id != 0) {
    write([this, mac, node_id, token] {
      if (auto r = inv_.set_token(node_id, token); !r) {
        INGOT_LOG(error, "boot") << mac << ": cannot store its token: " << r.error().message();
        std::lock_guard lock(mu_);
        tokens_.erase(mac);  // the next boot gets a new one
      }
    });
  }
  BootDecision d;
  d.action = BootDecision::Action::boot;
  d.kernel = cfg_.kernel;
  d.initrds = {cfg_.initrd};
  d.cmdline = cfg_.extra_cmdline + " ingot.server=" + cfg_.server_url + " ingot.token=" + token + " ingot.mode=" + mode;
  return d;
}

BootDecision ProvisionerPolicy::enrol(const std::string& mac) {
  if (!discovery_.enabled) {
    INGOT_LOG(debug, "boot") << mac << ": unknown machine, discovery is off (ingot serve --discover): silent";
    return BootDecision{};
  }
  {
    std::lock_guard lock(mu_);
    if (!enrolling_.count(mac)) {
      auto now = std::chrono::steady_clock::now();
      bucket_ = std::min(kDiscoveryBurst,
                         bucket_ + kDiscoveriesPerSecond * std::chrono::duration<double>(now - refilled_).count());
      refilled_ = now;
      if (discovered_ + enrolling_.size() >= discovery_.cap || bucket_ < 1) {
        INGOT_LOG(debug, "boot") << mac << ": unknown machine, discovery cap (" << discovery_.cap
                                 << ") or rate reached: silent";
        return BootDecision{};
      }
      bucket_ -= 1;
    }
  }
  BootDecision d = ramdisk(mac, 0, "inspect");  // makes the token the enrolment stores
  std::lock_guard lock(mu_);
  if (!enrolling_.insert(mac).second) return d;
  write([this, mac] {
    std::string token;
    {
      std::lock_guard lock(mu_);
      token = tokens_[mac];
    }
    auto r = inv_.db().transaction([&]() -> Result<void> {
      auto added = inv_.discover(mac);
      if (!added) return fail(added.error());
      if (auto g = inv_.set_goal(added->id, kDiscoveredGoal); !g) return g;
      auto moved = inv_.transition(added->id, NodeState::inspecting, "pxe", "network boot into the deploy ramdisk (inspect)");
      if (!moved) return fail(moved.error());
      return inv_.set_token(added->id, token);
    });
    std::lock_guard lock(mu_);
    enrolling_.erase(mac);
    discovered_ += r ? 1 : 0;
    if (!r) {
      INGOT_LOG(error, "boot") << mac << ": auto-enrol failed: " << r.error().message();
      tokens_.erase(mac);
      return;
    }
    INGOT_LOG(info, "boot") << mac << ": unknown machine, enrolled for inspection (nothing reserved until approved)";
  });
  return d;
}

BootDecision ProvisionerPolicy::decide(const pxe::Machine& machine) {
  std::string mac = machine.mac.to_string();
  auto entry = inv_.boot_entry(mac);
  if (!entry) return enrol(mac);
  std::string mode = entry->goal == "deploy" ? "deploy" : "inspect";
  switch (entry->state) {
    case NodeState::enrolled:
      write([this, id = entry->id, name = entry->name, mode] {
        // Several asks per boot: only the first finds the node still enrolled.
        auto cur = inv_.get(id);
        if (!cur || !*cur || (*cur)->state != NodeState::enrolled) return;
        auto moved = inv_.transition(id, NodeState::inspecting, "pxe", "network boot into the deploy ramdisk (" + mode + ")");
        if (!moved) INGOT_LOG(error, "boot") << name << ": " << moved.error().message();
      });
      return ramdisk(mac, entry->id, mode);
    case NodeState::inspecting:
    case NodeState::matched:
    case NodeState::deploying:
      return ramdisk(mac, entry->id, mode);
    case NodeState::deployed:
    case NodeState::configured: {
      BootDecision d;
      d.action = BootDecision::Action::local_disk;
      return d;
    }
    case NodeState::failed:
    case NodeState::retired:
      return BootDecision{};
  }
  return BootDecision{};
}

}  // namespace ingot::boot
