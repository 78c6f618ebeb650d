// The IPMI driver against OpenIPMI's ipmi_sim (a real RMCP+ peer), cross-checked with ipmitool
// as an independent client: power status/on/off/cycle/reset/soft, boot device, wrong
// credentials, an unreachable BMC, and the async service with a live and a silent BMC.
#include <doctest/doctest.h>

#include <chrono>

#include "provisioner/power/ipmi_driver.h"
#include "provisioner/power/power_service.h"
#include "tests/provisioner/power_sim.h"

using namespace ingot;
using namespace ingot::power;
using namespace ingot::test;
using namespace std::chrono_literals;

namespace {

BmcAddress address(const std::string& url) {
  auto a = parse_bmc_address(url);
  REQUIRE(a);
  return *a;
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("power status, on, off, cycle, reset and soft reach the simulated machine") {
  SimBmc sim;
  auto d = make_ipmi_driver(address(sim.url()));

  auto s = d->status();
  REQUIRE_MESSAGE(s, s.error().message());
  CHECK(*s == PowerState::off);

  REQUIRE(d->power(PowerAction::on));
  CHECK(sim.state("power") == "1");
  CHECK(*d->status() == PowerState::on);
  CHECK(contains(sim.ipmitool("power status"), "Chassis Power is on"));

  REQUIRE(d->power(PowerAction::off));
  CHECK(sim.state("power") == "0");
  CHECK(*d->status() == PowerState::off);
  CHECK(contains(sim.ipmitool("power status"), "Chassis Power is off"));

  // Cycle from off just powers on (no off step is sent).
  auto before = sim.chassis_log();
  REQUIRE(d->power(PowerAction::cycle));
  CHECK(sim.chassis_log().substr(before.size()).find("set power 0") == std::string::npos);
  CHECK(*d->status() == PowerState::on);

  // Cycle from on: ipmi_sim powers off, then on again a second later.
  before = sim.chassis_log();
  REQUIRE(d->power(PowerAction::cycle));
  CHECK(wait_until([&] { return contains(sim.chassis_log().substr(before.size()), "set power 1"); }, 5s));
  auto cycled = sim.chassis_log().substr(before.size());
  CHECK(cycled.find("set power 0") < cycled.find("set power 1"));
  CHECK(contains(sim.ipmitool("power status"), "Chassis Power is on"));

  REQUIRE(d->power(PowerAction::reset));
  CHECK(contains(sim.chassis_log(), "set reset 1"));
  CHECK(*d->status() == PowerState::on);

  REQUIRE(d->power(PowerAction::soft));
  CHECK(contains(sim.chassis_log(), "set shutdown 1"));
  CHECK(*d->status() == PowerState::off);
}

TEST_CASE("the boot device set through the driver is what the BMC reports") {
  SimBmc sim;
  auto d = make_ipmi_driver(address(sim.url()));

  auto r = d->set_boot(BootRequest{BootDevice::pxe, false, FirmwareMode::bios});
  REQUIRE_MESSAGE(r, r.error().message());
  CHECK(sim.state("boot") == "pxe");
  CHECK(contains(sim.ipmitool("chassis bootparam get 5"), "Force PXE"));

  // ipmi_sim names "force hard drive" (2) "default"; it keeps only the device bits.
  REQUIRE(d->set_boot(BootRequest{BootDevice::disk, true, FirmwareMode::uefi}));
  CHECK(sim.state("boot") == "default");
  CHECK(contains(sim.ipmitool("chassis bootparam get 5"), "Force Boot from default Hard-Drive"));

  REQUIRE(d->set_boot(BootRequest{BootDevice::pxe, true, FirmwareMode::uefi}));
  CHECK(sim.state("boot") == "pxe");
}

TEST_CASE("wrong credentials give a clear authentication error without the password") {
  SimBmc sim;
  const std::string endpoint = "127.0.0.1:" + std::to_string(sim.port());

  auto bad_pass = make_ipmi_driver(address(sim.url("Wr0ngPassw0rd")))->status();
  REQUIRE_FALSE(bad_pass);
  CHECK(bad_pass.error().code == PowerErrc::auth_failed);
  CHECK(bad_pass.error().message() ==
        "BMC " + endpoint + ": authentication failed (wrong user or password): password rejected for user 'admin'");

  auto bad_user = make_ipmi_driver(address("ipmi://nobody:secret@" + endpoint))->power(PowerAction::on);
  REQUIRE_FALSE(bad_user);
  CHECK(bad_user.error().code == PowerErrc::auth_failed);
  CHECK(contains(bad_user.error().message(), "does not know user 'nobody'"));
  CHECK_FALSE(contains(bad_user.error().message(), "secret"));
  CHECK(sim.state("power").empty());  // nothing reached the machine

  // The BMC still serves the right credentials.
  CHECK(make_ipmi_driver(address(sim.url()))->status());
}

TEST_CASE("a BMC that does not answer fails within the bounded tries") {
  int port = free_udp_port();  // nothing listens there
  auto d = make_ipmi_driver(address("ipmi://admin:secret@127.0.0.1:" + std::to_string(port)));
  auto t0 = std::chrono::steady_clock::now();
  auto r = d->status();
  auto took = std::chrono::steady_clock::now() - t0;
  REQUIRE_FALSE(r);
  CHECK(r.error().code == PowerErrc::unreachable);
  CHECK(r.error().message() ==
        "BMC 127.0.0.1:" + std::to_string(port) + ": no answer after 3 tries (timeout 2 s)");
  CHECK(took < 15s);  // a bound, not a speed claim: FreeIPMI's default would be 60 s

  auto quick = make_ipmi_driver(address("ipmi://admin:secret@127.0.0.1:" + std::to_string(port)),
                                IpmiOptions{std::chrono::milliseconds(500), std::chrono::milliseconds(250), 2})
                   ->power(PowerAction::reset);
  REQUIRE_FALSE(quick);
  CHECK(contains(quick.error().message(), "no answer after 2 tries (timeout 0.5 s)"));
}

TEST_CASE("many parallel calls: the live BMC answers all while the silent one times out") {
  SimBmc sim;
  const int dead_port = free_udp_port();
  asio::io_context io;
  PowerService svc(io.get_executor(), ipmi_driver_factory(), BmcCallLimits{4, 32});
  const auto live = address(sim.url());
  const auto dead = address("ipmi://admin:secret@127.0.0.1:" + std::to_string(dead_port));

  int live_ok = 0, live_before_dead = 0, dead_failed = 0, dead_retried = 0;
  bool dead_done = false;
  std::string first_dead_error;
  constexpr int kCalls = 6;
  for (int i = 0; i < kCalls; ++i) {
    svc.async_status(dead, [&](Result<PowerState> r) {
      REQUIRE_FALSE(r);
      CHECK(r.error().code == PowerErrc::unreachable);
      if (!dead_done) first_dead_error = r.error().message();
      if (contains(r.error().message(), "not tried again")) ++dead_retried;
      ++dead_failed;
      dead_done = true;
    });
    svc.async_power(live, i % 2 ? PowerAction::off : PowerAction::on, [&](Result<void> r) {
      CHECK_MESSAGE(r, (r ? "" : r.error().message()));
      if (r) ++live_ok;
      if (!dead_done) ++live_before_dead;
    });
  }
  io.run();
  CHECK(live_ok == kCalls);
  CHECK(live_before_dead == kCalls);  // none waited behind the silent BMC's 6 s
  CHECK(dead_failed == kCalls);
  CHECK(dead_retried == kCalls - 1);  // queued calls fail with the first one's answer
  CHECK(first_dead_error == "BMC 127.0.0.1:" + std::to_string(dead_port) + ": no answer after 3 tries (timeout 2 s)");
  // The live BMC saw the calls in the order they were made: on, off, on, off...
  CHECK(sim.state("power") == "0");
  auto log = sim.chassis_log();
  CHECK(log.find("set power 1") < log.find("set power 0"));
}
