#include "provisioner/power/bmc_call_pool.h"

#include "provisioner/power/power_error.h"

namespace ingot::power {

BmcCallPool::BmcCallPool(BmcCallLimits limits) : limits_(limits) {
  if (limits_.max_sessions == 0) limits_.max_sessions = 1;
  workers_.reserve(limits_.max_sessions);
  for (std::size_t i = 0; i < limits_.max_sessions; ++i) workers_.emplace_back([this] { work(); });
}

BmcCallPool::~BmcCallPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
  for (auto& [bmc, lane] : lanes_)
    for (auto& job : lane.waiting) job(false);
}

Result<void> BmcCallPool::submit(const std::string& bmc, Job job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return fail(PowerErrc::stopped, "BMC " + bmc + ": power service is stopping");
    Lane& lane = lanes_[bmc];
    if (lane.waiting.size() >= limits_.max_queued_per_bmc)
      return fail(PowerErrc::busy, "BMC " + bmc + ": " + std::to_string(lane.waiting.size()) +
                                       " calls already waiting; try again when they finish");
    lane.waiting.push_back(std::move(job));
    if (lane.running || lane.waiting.size() > 1) return ok();  // already running or listed in ready_
    ready_.push_back(bmc);
  }
  wake_.notify_one();
  return ok();
}

void BmcCallPool::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
    if (stopping_) return;
    std::string bmc = std::move(ready_.front());
    ready_.pop_front();
    Lane& lane = lanes_[bmc];
    Job job = std::move(lane.waiting.front());
    lane.waiting.pop_front();
    lane.running = true;
    lock.unlock();
    job(true);
    lock.lock();
    Lane& after = lanes_[bmc];  // map nodes are stable, but be explicit after the unlock
    after.running = false;
    if (!after.waiting.empty()) {
      // Back of the line: one busy BMC does not starve the others.
      ready_.push_back(bmc);
      wake_.notify_one();
    } else {
      lanes_.erase(bmc);
    }
  }
}

}  // namespace ingot::power
