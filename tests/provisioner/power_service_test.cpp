// PowerService and BmcCallPool over a fake driver (the seam): completions land on the caller's
// executor, the session limit and per-BMC ordering hold, queues are bounded, a silent BMC fails
// its queued calls fast without holding up a live one, and shutdown completes every call.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "provisioner/power/power_service.h"
#include "tests/support/test_support.h"

using namespace ingot;
using namespace ingot::power;
using namespace std::chrono_literals;

namespace {

// Shared record of what the fake BMCs saw.
struct FakeFleet {
  std::mutex m;
  std::condition_variable cv;
  int in_flight = 0, max_in_flight = 0;
  std::map<std::string, int> per_bmc, max_per_bmc, calls;
  std::map<std::string, std::vector<std::string>> seen;  // operations in the order they ran
  std::map<std::string, std::chrono::milliseconds> delay;
  std::map<std::string, bool> silent;
  bool gate_open = true;

  Result<void> visit(const std::string& bmc, const std::string& op) {
    std::chrono::milliseconds d{5};
    {
      std::unique_lock l(m);
      ++calls[bmc];
      seen[bmc].push_back(op);
      max_in_flight = std::max(max_in_flight, ++in_flight);
      max_per_bmc[bmc] = std::max(max_per_bmc[bmc], ++per_bmc[bmc]);
      cv.notify_all();
      cv.wait(l, [&] { return gate_open; });
      if (delay.count(bmc)) d = delay[bmc];
    }
    std::this_thread::sleep_for(d);
    std::lock_guard l(m);
    --in_flight;
    --per_bmc[bmc];
    if (silent[bmc]) return fail(PowerErrc::unreachable, "BMC " + bmc + ": no answer after 3 tries (timeout 2 s)");
    return ok();
  }
  void set_gate(bool open) {
    std::lock_guard l(m);
    gate_open = open;
    cv.notify_all();
  }
  void wait_in_flight(int n) {
    std::unique_lock l(m);
    cv.wait(l, [&] { return in_flight >= n; });
  }
};

class FakeDriver : public PowerDriver {
 public:
  FakeDriver(FakeFleet& f, std::string bmc) : f_(f), bmc_(std::move(bmc)) {}
  Result<PowerState> status() override {
    auto r = f_.visit(bmc_, "status");
    if (!r) return fail(r.error());
    return PowerState::on;
  }
  Result<void> power(PowerAction a) override { return f_.visit(bmc_, std::string(to_string(a))); }
  Result<void> set_boot(const BootRequest& b) override { return f_.visit(bmc_, std::string(to_string(b.device))); }

 private:
  FakeFleet& f_;
  std::string bmc_;
};

PowerDriverFactory fake_factory(FakeFleet& f) {
  return [&f](const BmcAddress& a) { return std::make_unique<FakeDriver>(f, a.endpoint()); };
}

BmcAddress bmc(int n) {
  auto a = parse_bmc_address("ipmi://admin:x@10.0.0." + std::to_string(n));
  REQUIRE(a);
  return *a;
}

}  // namespace

TEST_CASE("a coroutine awaits a call and resumes on its own thread") {
  FakeFleet fleet;
  asio::io_context io;
  PowerService svc(io.get_executor(), fake_factory(fleet), {2, 8});
  std::optional<Result<PowerState>> got;
  std::thread::id resumed_on;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto r = co_await svc.async_status(bmc(1), asio::use_awaitable);
        resumed_on = std::this_thread::get_id();
        got.emplace(std::move(r));
        auto off = co_await svc.async_power(bmc(1), PowerAction::off, asio::use_awaitable);
        CHECK(off);
      },
      asio::detached);
  io.run();
  REQUIRE(got);
  REQUIRE(*got);
  CHECK(**got == PowerState::on);
  CHECK(resumed_on == std::this_thread::get_id());
  CHECK(fleet.seen["10.0.0.1:623"] == std::vector<std::string>{"status", "off"});
}

TEST_CASE("a plain callback runs on the service's executor, and run() waits for it") {
  FakeFleet fleet;
  fleet.delay["10.0.0.1:623"] = 100ms;
  asio::io_context io;
  PowerService svc(io.get_executor(), fake_factory(fleet));
  bool called = false;
  std::thread::id ran_on;
  svc.async_set_boot(bmc(1), BootRequest{BootDevice::disk, true, FirmwareMode::uefi}, [&](Result<void> r) {
    called = true;
    ran_on = std::this_thread::get_id();
    CHECK(r);
  });
  CHECK_FALSE(called);  // never inline: the caller's loop must not run BMC work
  io.run();             // returns only once the callback ran (outstanding work is tracked)
  CHECK(called);
  CHECK(ran_on == std::this_thread::get_id());
}

TEST_CASE("a synchronous caller can use a future") {
  FakeFleet fleet;
  asio::io_context io;
  PowerService svc(io.get_executor(), fake_factory(fleet));
  std::future<Result<PowerState>> f = svc.async_status(bmc(3), asio::use_future);
  auto r = f.get();
  REQUIRE(r);
  CHECK(*r == PowerState::on);
}

TEST_CASE("at most max_sessions calls run at once, one per BMC, in submission order") {
  FakeFleet fleet;
  for (int b = 1; b <= 6; ++b) fleet.delay["10.0.0." + std::to_string(b) + ":623"] = 20ms;
  asio::io_context io;
  PowerService svc(io.get_executor(), fake_factory(fleet), {3, 32});
  int done = 0, failed = 0;
  const std::vector<PowerAction> script = {PowerAction::off, PowerAction::on, PowerAction::cycle, PowerAction::reset,
                                           PowerAction::soft};
  for (auto a : script)
    for (int b = 1; b <= 6; ++b)
      svc.async_power(bmc(b), a, [&](Result<void> r) { ++(r ? done : failed); });
  io.run();
  CHECK(done == 30);
  CHECK(failed == 0);
  CHECK(fleet.max_in_flight == 3);
  for (int b = 1; b <= 6; ++b) {
    std::string key = "10.0.0." + std::to_string(b) + ":623";
    CHECK(fleet.max_per_bmc[key] == 1);
    CHECK(fleet.seen[key] == std::vector<std::string>{"off", "on", "cycle", "reset", "soft"});
  }
}

TEST_CASE("calls waiting on one BMC are bounded; the excess is refused at once") {
  FakeFleet fleet;
  fleet.set_gate(false);
  asio::io_context io;
  PowerService svc(io.get_executor(), fake_factory(fleet), {2, 4});
  std::vector<std::string> errors;
  int done = 0;
  auto cb = [&](Result<PowerState> r) {
    if (r) ++done;
    else {
      CHECK(r.error().code == PowerErrc::busy);
      errors.push_back(r.error().message());
    }
  };
  svc.async_status(bmc(1), cb);
  fleet.wait_in_flight(1);  // the first call holds the BMC; the next 4 wait, the last 5 are refused
  for (int i = 0; i < 9; ++i) svc.async_status(bmc(1), cb);
  io.poll();  // refusals are delivered without waiting for the BMC
  CHECK(errors.size() == 5);
  CHECK(done == 0);
  fleet.set_gate(true);
  io.run();
  CHECK(done == 5);
  REQUIRE_FALSE(errors.empty());
  CHECK(errors[0].find("BMC 10.0.0.1:623: 4 calls already waiting") == 0);
}

TEST_CASE("a silent BMC fails its queued calls fast and never holds up a live one") {
  FakeFleet fleet;
  const std::string dead = "10.0.0.9:623", live = "10.0.0.1:623";
  fleet.silent[dead] = true;
  fleet.delay[dead] = 300ms;
  fleet.delay[live] = 10ms;
  asio::io_context io;
  PowerService svc(io.get_executor(), fake_factory(fleet), {2, 32});
  std::vector<std::string> dead_errors;
  int live_ok = 0, live_done_before_first_dead = 0;
  bool any_dead_done = false;
  for (int i = 0; i < 8; ++i) {
    svc.async_status(bmc(9), [&](Result<PowerState> r) {
      REQUIRE_FALSE(r);
      CHECK(r.error().code == PowerErrc::unreachable);
      dead_errors.push_back(r.error().message());
      any_dead_done = true;
    });
    svc.async_status(bmc(1), [&](Result<PowerState> r) {
      if (r) ++live_ok;
      if (!any_dead_done) ++live_done_before_first_dead;
    });
  }
  io.run();
  CHECK(live_ok == 8);
  CHECK(live_done_before_first_dead == 8);  // 8 x 10 ms on the second worker vs 300 ms
  CHECK(fleet.calls[dead] == 1);            // one timeout, not eight
  REQUIRE(dead_errors.size() == 8);
  CHECK(dead_errors[0] == "BMC 10.0.0.9:623: no answer after 3 tries (timeout 2 s)");
  CHECK(dead_errors[1].find("not tried again") != std::string::npos);
  // A call made after the failure is known tries the BMC again: it may be back.
  svc.async_status(bmc(9), [](Result<PowerState>) {});
  io.restart();
  io.run();
  CHECK(fleet.calls[dead] == 2);
}

TEST_CASE("shutting down finishes the running call and fails the queued ones") {
  FakeFleet fleet;
  fleet.set_gate(false);
  asio::io_context io;
  std::optional<PowerService> svc;
  svc.emplace(io.get_executor(), fake_factory(fleet), BmcCallLimits{1, 8});
  int ok_count = 0;
  std::vector<std::string> stopped;
  for (int i = 0; i < 4; ++i)
    svc->async_power(bmc(1), PowerAction::on, [&](Result<void> r) {
      if (r) ++ok_count;
      else {
        CHECK(r.error().code == PowerErrc::stopped);
        stopped.push_back(r.error().message());
      }
    });
  fleet.wait_in_flight(1);
  std::thread closer([&] { svc.reset(); });
  std::this_thread::sleep_for(50ms);
  fleet.set_gate(true);
  closer.join();
  io.run();
  CHECK(ok_count == 1);
  CHECK(stopped.size() == 3);
  CHECK(fleet.calls["10.0.0.1:623"] == 1);
}
