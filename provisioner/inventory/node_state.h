// The node lifecycle as an explicit state machine:
//   enrolled → inspecting → matched → deploying → deployed → configured
// plus failed (with phase and reason) and retired. Every transition the server makes goes
// through transition_allowed(), so an impossible jump is a bug report, not silent state.
#pragma once

#include <optional>
#include <string_view>

namespace ingot::inventory {

enum class NodeState { enrolled, inspecting, matched, deploying, deployed, configured, failed, retired };

std::string_view to_string(NodeState s);
std::optional<NodeState> node_state_from(std::string_view s);
bool transition_allowed(NodeState from, NodeState to);

}  // namespace ingot::inventory
