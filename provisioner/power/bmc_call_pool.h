// Worker threads for blocking BMC calls: at most `max_sessions` calls run at once overall, and
// one at a time per BMC. Per-BMC serialisation keeps "boot device, then power on" in order and
// means a BMC that never answers can hold only one worker while the others serve the rest.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"

namespace ingot::power {

// Eight sessions keeps a rack's worth of power-ons moving without flooding the management
// network or the server's two cores; FreeIPMI needs one thread per blocking session.
inline constexpr std::size_t kDefaultMaxSessions = 8;
// Calls waiting on one BMC beyond this are refused: a caller that loops faster than the BMC
// answers would otherwise grow the queue without bound.
inline constexpr std::size_t kDefaultMaxQueuedPerBmc = 32;

struct BmcCallLimits {
  std::size_t max_sessions = kDefaultMaxSessions;
  std::size_t max_queued_per_bmc = kDefaultMaxQueuedPerBmc;
};

class BmcCallPool {
 public:
  // run == false: the pool is shutting down and the call never started.
  using Job = std::function<void(bool run)>;

  explicit BmcCallPool(BmcCallLimits limits = {});
  // Lets running calls finish (they are bounded by the driver's timeouts), then hands every
  // queued call run == false.
  ~BmcCallPool();
  BmcCallPool(const BmcCallPool&) = delete;
  BmcCallPool& operator=(const BmcCallPool&) = delete;

  // Queues job behind earlier calls to the same BMC (bmc = its endpoint). Fails with
  // PowerErrc::busy when that BMC already has max_queued_per_bmc calls waiting.
  Result<void> submit(const std::string& bmc, Job job);

 private:
  struct Lane {
    std::deque<Job> waiting;
    bool running = false;
  };

  void work();

  BmcCallLimits limits_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, Lane> lanes_;
  std::deque<std::string> ready_;  // BMCs with waiting calls and none running, oldest first
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace ingot::power
