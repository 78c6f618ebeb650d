#include "provisioner/boot/provisioner_policy.h"

#include "common/log.h"

namespace ingot::boot {

using inventory::NodeState;
using pxe::BootDecision;

void ProvisionerPolicy::forget_token(std::int64_t node_id) {
  std::lock_guard lock(mu_);
  tokens_.erase(node_id);
}

BootDecision ProvisionerPolicy::ramdisk(const inventory::Node& node, const std::string& mode) {
  std::string token;
  {
    std::lock_guard lock(mu_);
    auto it = tokens_.find(node.id);
    if (it != tokens_.end()) token = it->second;
  }
  if (token.empty()) {
    auto issued = inv_.issue_token(node.id);
    if (!issued) {
      INGOT_LOG(error, "boot") << node.name << ": cannot issue token: " << issued.error().message();
      return BootDecision{};
    }
    token = *issued;
    std::lock_guard lock(mu_);
    tokens_[node.id] = token;
  }
  BootDecision d;
  d.action = BootDecision::Action::boot;
  d.kernel = cfg_.kernel;
  d.initrds = {cfg_.initrd};
  d.cmdline = cfg_.extra_cmdline + " ingot.server=" + cfg_.server_url + " ingot.token=" + token + " ingot.mode=" + mode;
  return d;
}

BootDecision ProvisionerPolicy::decide(const pxe::Machine& machine) {
  std::string mac = machine.mac.to_string();
  auto found = inv_.find_by_mac(mac);
  if (!found) {
    INGOT_LOG(error, "boot") << mac << ": inventory lookup failed: " << found.error().message();
    return BootDecision{};
  }
  inventory::Node node;
  if (found->has_value()) {
    node = **found;
  } else {
    auto added = inv_.discover(mac);
    if (!added) {
      INGOT_LOG(error, "boot") << mac << ": auto-enrol failed: " << added.error().message();
      return BootDecision{};
    }
    node = *added;
    (void)inv_.set_goal(node.id, "inspect");
    node.goal = "inspect";
    INGOT_LOG(info, "boot") << mac << ": unknown machine, enrolled as " << node.name << " for inspection";
  }
  std::string mode = node.goal == "deploy" ? "deploy" : "inspect";
  switch (node.state) {
    case NodeState::enrolled: {
      auto moved = inv_.transition(node.id, NodeState::inspecting, "pxe",
                                   "network boot into the deploy ramdisk (" + mode + ")");
      if (!moved) {
        INGOT_LOG(error, "boot") << node.name << ": " << moved.error().message();
        return BootDecision{};
      }
      return ramdisk(*moved, mode);
    }
    case NodeState::inspecting:
    case NodeState::matched:
    case NodeState::deploying:
      return ramdisk(node, mode);
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
