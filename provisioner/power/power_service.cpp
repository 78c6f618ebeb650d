#include "provisioner/power/power_service.h"

namespace ingot::power {

PowerService::PowerService(asio::any_io_executor executor, PowerDriverFactory factory, BmcCallLimits limits)
    : executor_(std::move(executor)), factory_(std::move(factory)), pool_(limits) {}

Result<void> PowerService::guarded(const BmcAddress& bmc, Clock::time_point submitted,
                                   const std::function<Result<void>(PowerDriver&)>& call) {
  const std::string key = bmc.endpoint();
  {
    std::lock_guard lock(silent_mutex_);
    if (auto it = silent_.find(key); it != silent_.end() && it->second.at > submitted)
      return fail(it->second.error.code,
                  it->second.error.context + " (not tried again: that call failed while this one waited)");
  }
  auto driver = factory_(bmc);
  if (!driver) return fail(PowerErrc::internal, "BMC " + key + ": no power driver for this address");
  auto r = call(*driver);
  std::lock_guard lock(silent_mutex_);
  if (!r && r.error().code == PowerErrc::unreachable)
    silent_[key] = Silence{Clock::now(), r.error()};
  else
    silent_.erase(key);
  return r;
}

}  // namespace ingot::power
