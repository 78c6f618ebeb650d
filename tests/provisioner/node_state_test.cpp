#include <doctest/doctest.h>

#include "provisioner/inventory/node_state.h"

using namespace ingot::inventory;

TEST_CASE("transitions: the deploy's happy path step by step; no shortcuts, no way out of retirement") {
  using S = NodeState;
  enum class Verdict { allowed, refused };
  using enum Verdict;
  struct Case {
    S from, to;
    Verdict verdict;
  };
  const Case cases[] = {
      // The happy path of a deploy, step by step.
      {S::enrolled, S::inspecting, allowed},
      {S::inspecting, S::matched, allowed},
      {S::matched, S::deploying, allowed},
      {S::deploying, S::deployed, allowed},
      {S::deployed, S::configured, allowed},
      {S::configured, S::deploying, allowed},  // re-deploy
      // Shortcuts, and moves out of retirement other than re-enrolment.
      {S::enrolled, S::deployed, refused},
      {S::inspecting, S::configured, refused},
      {S::retired, S::failed, refused},
      {S::retired, S::deploying, refused},
      {S::failed, S::failed, refused},
      {S::retired, S::enrolled, allowed},
      {S::failed, S::inspecting, allowed},
  };
  for (const auto& c : cases) {
    CAPTURE(to_string(c.from));
    CAPTURE(to_string(c.to));
    CHECK(transition_allowed(c.from, c.to) == (c.verdict == allowed));
  }
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
