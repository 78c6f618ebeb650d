// Asynchronous power control for the server: each call runs a PowerDriver on BmcCallPool's
// workers and completes on the caller's executor, so an Asio coroutine can
// `co_await svc.async_status(bmc, asio::use_awaitable)` without blocking the network thread.
// Completion signature: void(Result<T>). Destroy the service before its io_context.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/asio.h"
#include "common/result.h"
#include "provisioner/power/bmc_call_pool.h"
#include "provisioner/power/power_driver.h"
#include "provisioner/power/power_error.h"

namespace ingot::power {

class PowerService {
 public:
  // executor: where completions run when the handler brings none of its own (plain callbacks).
  PowerService(asio::any_io_executor executor, PowerDriverFactory factory, BmcCallLimits limits = {});

  template <typename Token>
  auto async_status(BmcAddress bmc, Token&& token) {
    return call<PowerState>(std::move(bmc), [](PowerDriver& d) { return d.status(); }, std::forward<Token>(token));
  }
  template <typename Token>
  auto async_power(BmcAddress bmc, PowerAction action, Token&& token) {
    return call<void>(
        std::move(bmc), [action](PowerDriver& d) { return d.power(action); }, std::forward<Token>(token));
  }
  template <typename Token>
  auto async_set_boot(BmcAddress bmc, BootRequest request, Token&& token) {
    return call<void>(
        std::move(bmc), [request](PowerDriver& d) { return d.set_boot(request); }, std::forward<Token>(token));
  }

 private:
  using Clock = std::chrono::steady_clock;
  template <typename T>
  using Deliver = std::function<void(Result<T>)>;

  template <typename T, typename Token>
  auto call(BmcAddress bmc, std::function<Result<T>(PowerDriver&)> fn, Token&& token) {
    return asio::async_initiate<Token, void(Result<T>)>(
        [this](auto handler, BmcAddress bmc, std::function<Result<T>(PowerDriver&)> fn) {
          auto ex = asio::get_associated_executor(handler, executor_);
          // Keeps the io_context's run() from returning while the call is out on a worker.
          auto tracked = asio::prefer(ex, asio::execution::outstanding_work.tracked);
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          Deliver<T> deliver = [shared, tracked](Result<T> r) {
            asio::post(tracked, [shared, r = std::move(r)]() mutable { (*shared)(std::move(r)); });
          };
          enqueue<T>(std::move(bmc), std::move(fn), std::move(deliver));
        },
        token, std::move(bmc), std::move(fn));
  }

  template <typename T>
  void enqueue(BmcAddress bmc, std::function<Result<T>(PowerDriver&)> fn, Deliver<T> deliver) {
    const auto submitted = Clock::now();
    std::string key = bmc.endpoint();
    auto job = [this, bmc, fn, deliver, submitted](bool run) {
      if (!run) return deliver(fail(PowerErrc::stopped, "BMC " + bmc.endpoint() + ": power service stopped first"));
      std::optional<Result<T>> out;
      auto r = guarded(bmc, submitted, [&](PowerDriver& d) -> Result<void> {
        out.emplace(fn(d));
        if (*out) return ok();
        return fail(out->error());
      });
      deliver(out ? std::move(*out) : Result<T>(fail(r.error())));
    };
    if (auto r = pool_.submit(key, std::move(job)); !r) deliver(fail(r.error()));
  }

  // Runs one call on a worker: skips it when the BMC was found unreachable after the call was
  // queued (no point waiting out the same timeout again), and records such failures.
  Result<void> guarded(const BmcAddress& bmc, Clock::time_point submitted,
                       const std::function<Result<void>(PowerDriver&)>& call);

  struct Silence {
    Clock::time_point at;
    Error error;
  };

  asio::any_io_executor executor_;
  PowerDriverFactory factory_;
  std::mutex silent_mutex_;
  std::map<std::string, Silence> silent_;  // BMCs whose last call got no answer
  BmcCallPool pool_;                       // last: joined first, while the rest still exists
};

}  // namespace ingot::power
