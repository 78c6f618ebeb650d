#include "provisioner/inventory/node_state.h"

#include "common/enum_names.h"

namespace ingot::inventory {
namespace {
constexpr EnumNames<NodeState, 8> kNames = {{
    {NodeState::enrolled, "enrolled"},
    {NodeState::inspecting, "inspecting"},
    {NodeState::matched, "matched"},
    {NodeState::deploying, "deploying"},
    {NodeState::deployed, "deployed"},
    {NodeState::configured, "configured"},
    {NodeState::failed, "failed"},
    {NodeState::retired, "retired"},
}};
}  // namespace

std::string_view to_string(NodeState s) { return enum_name(kNames, s); }

std::optional<NodeState> node_state_from(std::string_view s) { return enum_from_name(kNames, s); }

bool transition_allowed(NodeState from, NodeState to) {
  using S = NodeState;
  if (to == S::failed) return from != S::retired && from != S::failed;
  if (to == S::retired) return from != S::retired;
  switch (from) {
    case S::enrolled: return to == S::inspecting;
    case S::inspecting: return to == S::matched || to == S::enrolled;
    // matched → inspecting: facts re-posted (the machine rebooted into the ramdisk).
    case S::matched: return to == S::deploying || to == S::inspecting;
    case S::deploying: return to == S::deployed || to == S::inspecting;
    case S::deployed: return to == S::configured || to == S::deploying || to == S::inspecting;
    case S::configured: return to == S::deploying || to == S::inspecting;
    // A failed node is retried from enrolment or from inspection.
    case S::failed: return to == S::enrolled || to == S::inspecting;
    case S::retired: return to == S::enrolled;
  }
  return false;
}

}  // namespace ingot::inventory
