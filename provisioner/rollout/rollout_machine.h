// A rollout's decisions as a pure function: from its settings, its state and where each node's
// upgrade stands (in rollout order), which nodes start now, which time out, which are cancelled
// and what the rollout's state becomes. Batches are the first `canary` nodes, then groups of
// `batch`; the next batch starts only when every node of the current one has finished. No I/O
// and no clock: the caller passes `now_ms` and persists the outcome.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ingot::rollout {

enum class RolloutState { running, paused, stopped, aborted, done };

// A node's upgrade, coarsely: pending (not started), assigned (target given, no report yet),
// running (the agent reported progress), and the terminal done / failed / cancelled.
enum class SlotStatus { pending, assigned, running, done, failed, cancelled };

std::string_view to_string(RolloutState s);
std::optional<RolloutState> rollout_state_from(std::string_view s);
bool is_terminal(RolloutState s);
bool is_terminal(SlotStatus s);

struct RolloutSettings {
  int canary = 1;
  int batch = 1;
  int max_failures = 0;
  // An assigned or running node whose agent says nothing for this long counts as failed.
  std::int64_t report_timeout_ms = 0;
};

struct Slot {
  SlotStatus status = SlotStatus::pending;
  std::int64_t last_activity_ms = 0;  // assignment or latest report
};

struct Decision {
  std::vector<std::size_t> start;      // pending → assigned
  std::vector<std::size_t> time_out;   // assigned/running → failed (silent agent)
  std::vector<std::size_t> cancel;     // pending/assigned → cancelled (stopped or aborted)
  RolloutState state = RolloutState::running;
  std::string reason;                  // why the state changed, for the event log
  bool changed_state = false;
};

Decision decide(const RolloutSettings& s, RolloutState state, std::span<const Slot> slots, std::int64_t now_ms);

// The batch a slot belongs to (0 = the canaries).
std::size_t batch_of(const RolloutSettings& s, std::size_t index);

// Operator actions: pause (running → paused), resume (paused → running), abort (running or
// paused → aborted). Anything else is an error that says why.
Result<RolloutState> apply_action(RolloutState current, std::string_view action);

}  // namespace ingot::rollout
