#include <doctest/doctest.h>

#include "provisioner/inventory/node_state.h"

using namespace ingot::inventory;

TEST_CASE("the happy path of a deploy is allowed step by step") {
  using S = NodeState;
  CHECK(transition_allowed(S::enrolled, S::inspecting));
  CHECK(transition_allowed(S::inspecting, S::matched));
  CHECK(transition_allowed(S::matched, S::deploying));
  CHECK(transition_allowed(S::deploying, S::deployed));
  CHECK(transition_allowed(S::deployed, S::configured));
  CHECK(transition_allowed(S::configured, S::deploying));  // re-deploy
}

TEST_CASE("shortcuts and moves out of retirement are refused") {
  using S = NodeState;
  CHECK_FALSE(transition_allowed(S::enrolled, S::deployed));
  CHECK_FALSE(transition_allowed(S::inspecting, S::configured));
  CHECK_FALSE(transition_allowed(S::retired, S::failed));
  CHECK_FALSE(transition_allowed(S::retired, S::deploying));
  CHECK_FALSE(transition_allowed(S::failed, S::failed));
  CHECK(transition_allowed(S::retired, S::enrolled));
  CHECK(transition_allowed(S::failed, S::inspecting));
}

TEST_CASE("every state can fail except failed and retired, and names round-trip") {
  for (int i = 0; i <= static_cast<int>(NodeState::retired); ++i) {
    auto s = static_cast<NodeState>(i);
    CHECK(node_state_from(to_string(s)) == s);
    bool expect = s != NodeState::failed && s != NodeState::retired;
    CHECK(transition_allowed(s, NodeState::failed) == expect);
  }
  CHECK_FALSE(node_state_from("deleted").has_value());
}
