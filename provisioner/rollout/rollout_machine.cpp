#include "provisioner/rollout/rollout_machine.h"

#include "common/enum_names.h"

namespace ingot::rollout {
namespace {

constexpr EnumNames<RolloutState, 5> kNames = {{
    {RolloutState::running, "running"},
    {RolloutState::paused, "paused"},
    {RolloutState::stopped, "stopped"},
    {RolloutState::aborted, "aborted"},
    {RolloutState::done, "done"},
}};

bool not_started_yet(SlotStatus s) { return s == SlotStatus::pending || s == SlotStatus::assigned; }

}  // namespace

std::string_view to_string(RolloutState s) { return enum_name(kNames, s); }

std::optional<RolloutState> rollout_state_from(std::string_view s) { return enum_from_name(kNames, s); }

bool is_terminal(RolloutState s) {
  return s == RolloutState::stopped || s == RolloutState::aborted || s == RolloutState::done;
}

bool is_terminal(SlotStatus s) {
  return s == SlotStatus::done || s == SlotStatus::failed || s == SlotStatus::cancelled;
}

std::size_t batch_of(const RolloutSettings& s, std::size_t index) {
  auto canary = static_cast<std::size_t>(s.canary > 0 ? s.canary : 0);
  auto batch = static_cast<std::size_t>(s.batch > 0 ? s.batch : 1);
  if (index < canary) return 0;
  return 1 + (index - canary) / batch;
}

Decision decide(const RolloutSettings& s, RolloutState state, std::span<const Slot> slots, std::int64_t now_ms) {
  Decision d;
  d.state = state;
  std::vector<SlotStatus> st;
  st.reserve(slots.size());
  for (std::size_t i = 0; i < slots.size(); ++i) {
    SlotStatus x = slots[i].status;
    bool in_flight = x == SlotStatus::assigned || x == SlotStatus::running;
    if (in_flight && s.report_timeout_ms > 0 && now_ms - slots[i].last_activity_ms > s.report_timeout_ms) {
      d.time_out.push_back(i);
      x = SlotStatus::failed;
    }
    st.push_back(x);
  }
  auto set_state = [&](RolloutState to, std::string why) {
    if (d.state == to) return;
    d.state = to;
    d.reason = std::move(why);
    d.changed_state = true;
  };

  if (state == RolloutState::running) {
    int failures = 0;
    std::optional<std::size_t> failed_canary;
    for (std::size_t i = 0; i < st.size(); ++i) {
      if (st[i] != SlotStatus::failed) continue;
      ++failures;
      if (batch_of(s, i) == 0 && s.canary > 0 && !failed_canary) failed_canary = i;
    }
    if (failed_canary) {
      set_state(RolloutState::stopped, "canary #" + std::to_string(*failed_canary + 1) + " failed");
    } else if (failures > s.max_failures) {
      set_state(RolloutState::stopped, std::to_string(failures) + " failed node(s), more than max_failures " +
                                           std::to_string(s.max_failures));
    }
  }
  // Stopped or aborted: nothing new starts, and nodes whose agent has not begun are called off.
  if (d.state == RolloutState::stopped || d.state == RolloutState::aborted) {
    for (std::size_t i = 0; i < st.size(); ++i)
      if (not_started_yet(st[i])) d.cancel.push_back(i);
    return d;
  }
  bool all_final = true;
  for (auto x : st) all_final = all_final && is_terminal(x);
  if (all_final) {
    if (d.state != RolloutState::done) set_state(RolloutState::done, "every node has finished");
    return d;
  }
  if (d.state != RolloutState::running) return d;
  // The current batch: the first that has a node not finished. Its pending nodes start.
  std::optional<std::size_t> current;
  for (std::size_t i = 0; i < st.size() && !current; ++i)
    if (!is_terminal(st[i])) current = batch_of(s, i);
  for (std::size_t i = 0; i < st.size(); ++i)
    if (batch_of(s, i) == *current && st[i] == SlotStatus::pending) d.start.push_back(i);
  return d;
}

Result<RolloutState> apply_action(RolloutState current, std::string_view action) {
  if (is_terminal(current))
    return fail("the rollout is " + std::string(to_string(current)) + ": start a new one");
  if (action == "pause") {
    if (current == RolloutState::paused) return fail("the rollout is already paused");
    return RolloutState::paused;
  }
  if (action == "resume") {
    if (current != RolloutState::paused) return fail("the rollout is not paused");
    return RolloutState::running;
  }
  if (action == "abort") return RolloutState::aborted;
  return fail("unknown action '" + std::string(action) + "' (pause, resume, abort)");
}

}  // namespace ingot::rollout
