// The rollout machine, pure: canary first, the next batch only after the current one has
// finished, a failed canary stops it, failures beyond max_failures stop it, pause/resume,
// abort cancels what has not begun, silent agents time out, done when every node is.
#include <doctest/doctest.h>

#include "provisioner/rollout/rollout_machine.h"

using namespace ingot::rollout;
using S = SlotStatus;

namespace {

std::vector<Slot> slots(std::initializer_list<S> st, std::int64_t t = 1000) {
  std::vector<Slot> v;
  for (auto s : st) v.push_back({s, t});
  return v;
}

RolloutSettings settings(int canary, int batch, int max_failures, std::int64_t timeout = 0) {
  RolloutSettings s;
  s.canary = canary;
  s.batch = batch;
  s.max_failures = max_failures;
  s.report_timeout_ms = timeout;
  return s;
}

using Idx = std::vector<std::size_t>;

}  // namespace

TEST_CASE("a new rollout starts the canaries only") {
  auto d = decide(settings(1, 2, 0), RolloutState::running, slots({S::pending, S::pending, S::pending, S::pending}), 1000);
  CHECK(d.start == Idx{0});
  CHECK(d.state == RolloutState::running);
  CHECK_FALSE(d.changed_state);
  d = decide(settings(2, 1, 0), RolloutState::running, slots({S::pending, S::pending, S::pending}), 1000);
  CHECK(d.start == Idx{0, 1});
}

TEST_CASE("batches: the first `canary`, then groups of `batch`") {
  auto s = settings(1, 2, 0);
  CHECK(batch_of(s, 0) == 0);
  CHECK(batch_of(s, 1) == 1);
  CHECK(batch_of(s, 2) == 1);
  CHECK(batch_of(s, 3) == 2);
  auto none = settings(0, 3, 0);
  CHECK(batch_of(none, 0) == 1);
  CHECK(batch_of(none, 2) == 1);
  CHECK(batch_of(none, 3) == 2);
}

TEST_CASE("the next batch waits for every node of the current one") {
  auto s = settings(1, 2, 0);
  CHECK(decide(s, RolloutState::running, slots({S::assigned, S::pending, S::pending}), 1000).start.empty());
  CHECK(decide(s, RolloutState::running, slots({S::running, S::pending, S::pending}), 1000).start.empty());
  CHECK(decide(s, RolloutState::running, slots({S::done, S::pending, S::pending, S::pending}), 1000).start == Idx{1, 2});
  // One of batch 1 done, the other still running: batch 2 waits.
  CHECK(decide(s, RolloutState::running, slots({S::done, S::done, S::running, S::pending}), 1000).start.empty());
  CHECK(decide(s, RolloutState::running, slots({S::done, S::done, S::done, S::pending}), 1000).start == Idx{3});
}

TEST_CASE("a failed canary stops the rollout whatever max_failures says") {
  auto d = decide(settings(1, 1, 5), RolloutState::running, slots({S::failed, S::pending, S::pending}), 1000);
  CHECK(d.state == RolloutState::stopped);
  CHECK(d.changed_state);
  CHECK(d.reason.find("canary") != std::string::npos);
  CHECK(d.start.empty());
  CHECK(d.cancel == Idx{1, 2});
}

TEST_CASE("a second canary not yet begun is called off when the first fails") {
  auto d = decide(settings(2, 1, 0), RolloutState::running, slots({S::failed, S::assigned, S::pending}), 1000);
  CHECK(d.state == RolloutState::stopped);
  CHECK(d.cancel == Idx{1, 2});
  // One already running is left to finish (the agent is mid-switch; it reports either way).
  d = decide(settings(2, 1, 0), RolloutState::running, slots({S::failed, S::running, S::pending}), 1000);
  CHECK(d.cancel == Idx{2});
}

TEST_CASE("failures beyond max_failures stop the rollout; up to it, it goes on") {
  auto s = settings(1, 1, 1);
  auto d = decide(s, RolloutState::running, slots({S::done, S::failed, S::pending, S::pending}), 1000);
  CHECK(d.state == RolloutState::running);
  CHECK(d.start == Idx{2});
  d = decide(s, RolloutState::running, slots({S::done, S::failed, S::failed, S::pending}), 1000);
  CHECK(d.state == RolloutState::stopped);
  CHECK(d.reason.find("max_failures 1") != std::string::npos);
  CHECK(d.cancel == Idx{3});
  // max_failures 0: the first failure after the canary stops it.
  d = decide(settings(1, 1, 0), RolloutState::running, slots({S::done, S::failed, S::pending}), 1000);
  CHECK(d.state == RolloutState::stopped);
}

TEST_CASE("done when every node has finished, with failures within the limit") {
  auto d = decide(settings(1, 1, 1), RolloutState::running, slots({S::done, S::failed, S::done}), 1000);
  CHECK(d.state == RolloutState::done);
  CHECK(d.changed_state);
  d = decide(settings(1, 1, 0), RolloutState::running, slots({S::done, S::done}), 1000);
  CHECK(d.state == RolloutState::done);
  d = decide(settings(1, 1, 0), RolloutState::done, slots({S::done, S::done}), 1000);
  CHECK_FALSE(d.changed_state);
}

TEST_CASE("paused: no new node starts; in-flight ones may finish; resume carries on") {
  auto s = settings(1, 1, 0);
  auto d = decide(s, RolloutState::paused, slots({S::done, S::pending}), 1000);
  CHECK(d.start.empty());
  CHECK(d.cancel.empty());
  CHECK(d.state == RolloutState::paused);
  d = decide(s, RolloutState::paused, slots({S::done, S::done}), 1000);
  CHECK(d.state == RolloutState::done);
  CHECK(decide(s, RolloutState::running, slots({S::done, S::pending}), 1000).start == Idx{1});
  CHECK(apply_action(RolloutState::running, "pause").value() == RolloutState::paused);
  CHECK(apply_action(RolloutState::paused, "resume").value() == RolloutState::running);
  CHECK_FALSE(apply_action(RolloutState::running, "resume"));
  CHECK_FALSE(apply_action(RolloutState::paused, "pause"));
}

TEST_CASE("abort cancels what has not begun, leaves running nodes to report") {
  CHECK(apply_action(RolloutState::running, "abort").value() == RolloutState::aborted);
  CHECK(apply_action(RolloutState::paused, "abort").value() == RolloutState::aborted);
  auto d = decide(settings(1, 2, 0), RolloutState::aborted, slots({S::done, S::running, S::assigned, S::pending}), 1000);
  CHECK(d.cancel == Idx{2, 3});
  CHECK(d.start.empty());
  CHECK(d.state == RolloutState::aborted);
}

TEST_CASE("finished rollouts take no action; unknown actions are refused") {
  for (auto st : {RolloutState::stopped, RolloutState::aborted, RolloutState::done}) {
    CHECK_FALSE(apply_action(st, "pause"));
    CHECK_FALSE(apply_action(st, "resume"));
    CHECK_FALSE(apply_action(st, "abort"));
  }
  auto r = apply_action(RolloutState::running, "explode");
  REQUIRE_FALSE(r);
  CHECK(r.error().message().find("pause, resume, abort") != std::string::npos);
}

TEST_CASE("a silent agent times out and counts as a failure") {
  auto s = settings(1, 1, 0, 5000);
  auto fresh = slots({S::assigned, S::pending}, 1000);
  CHECK(decide(s, RolloutState::running, fresh, 5999).time_out.empty());
  auto d = decide(s, RolloutState::running, fresh, 6001);
  CHECK(d.time_out == Idx{0});
  CHECK(d.state == RolloutState::stopped);  // it was the canary
  // After the canary, within max_failures: the rollout goes on to the next node.
  auto s1 = settings(1, 1, 1, 5000);
  d = decide(s1, RolloutState::running, {{{S::done, 0}, {S::running, 1000}, {S::pending, 0}}}, 7000);
  CHECK(d.time_out == Idx{1});
  CHECK(d.state == RolloutState::running);
  CHECK(d.start == Idx{2});
  // No timeout configured: never.
  CHECK(decide(settings(1, 1, 0), RolloutState::running, fresh, 1'000'000'000).time_out.empty());
}

TEST_CASE("state names round-trip") {
  for (auto st : {RolloutState::running, RolloutState::paused, RolloutState::stopped, RolloutState::aborted, RolloutState::done})
    CHECK(rollout_state_from(to_string(st)) == st);
  CHECK_FALSE(rollout_state_from("exploded"));
}
