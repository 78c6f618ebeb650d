// The server core against real SQLite and real role files, with a fake BMC (the power seam):
// enrol, deploy, match with pools, the agent's reports, hand-off; and the failure paths.
#include <doctest/doctest.h>

#include <filesystem>
#include <mutex>

#include "provisioner/server/api_support.h"
#include "provisioner/server/provisioner.h"
#include "tests/support/test_support.h"

using namespace ingot;
using inventory::NodeState;
using nlohmann::json;

namespace {

struct FakeBmc {
  std::mutex mu;
  std::vector<std::string> calls;
  power::PowerState state = power::PowerState::off;
  bool unreachable = false;
};

class FakeDriver : public power::PowerDriver {
 public:
  explicit FakeDriver(FakeBmc& b) : b_(b) {}
  Result<power::PowerState> status() override {
    std::lock_guard l(b_.mu);
    if (b_.unreachable) return fail("BMC 127.0.0.1:1: no answer");
    b_.calls.push_back("status");
    return b_.state;
  }
  Result<void> power(power::PowerAction a) override {
    std::lock_guard l(b_.mu);
    if (b_.unreachable) return fail("BMC 127.0.0.1:1: no answer");
    b_.calls.push_back(std::string("power ") + std::string(power::to_string(a)));
    b_.state = a == power::PowerAction::off ? power::PowerState::off : power::PowerState::on;
    return ok();
  }
  Result<void> set_boot(const power::BootRequest& r) override {
    std::lock_guard l(b_.mu);
    if (b_.unreachable) return fail("BMC 127.0.0.1:1: no answer");
    b_.calls.push_back(std::string("boot ") + std::string(power::to_string(r.device)));
    return ok();
  }

 private:
  FakeBmc& b_;
};

struct Fixture {
  test::TempDir dir;
  asio::io_context io;
  FakeBmc bmc;
  std::unique_ptr<server::Provisioner> p;

  Fixture() {
    auto roles = dir / "roles";
    std::filesystem::create_directories(roles / "big");
    std::filesystem::create_directories(roles / "small");
    test::write_file(roles / "order", "big 1\nsmall *\n");
    test::write_file(roles / "big/hardware.spec", "disk $d size ge(100)\ndisk $d serial $$serial\n");
    test::write_file(roles / "small/hardware.spec", "disk $d size lt(100)\n");
    test::write_file(roles / "small/pools.json",
                     R"({"hostname": "small001-002", "ip": "198.18.0.10-11", "netmask": "255.255.255.0"})");
    test::write_file(roles / "small/deploy.json", R"({"image": "tiny@1", "cmdline": "ro quiet"})");
    server::ServerConfig cfg;
    cfg.state_dir = dir / "state";
    cfg.roles_dir = roles;
    cfg.server_url = "http://198.18.0.1:8080";
    cfg.admin_token = "admin";
    auto opened = server::Provisioner::open(io, cfg, [this](const power::BmcAddress&) {
      return std::unique_ptr<power::PowerDriver>(new FakeDriver(bmc));
    });
    REQUIRE_MESSAGE(opened, (opened ? "" : opened.error().message()));
    p = std::move(*opened);
  }

  inventory::Node enrol(const std::string& name, const std::string& mac, bool with_bmc = true) {
    json body = {{"name", name}, {"mac", mac}};
    if (with_bmc) body["bmc"] = "ipmi://admin:secret@127.0.0.1:9623";
    auto n = p->enrol(body);
    REQUIRE(static_cast<bool>(n));
    return (*n);
  }
  inventory::Node reload(const std::string& name) { return *p->node(name); }
  void drain() {
    io.restart();
    io.run_for(std::chrono::milliseconds(300));
  }
};

json facts(const std::string& size, const std::string& serial = "S1") {
  return json{{"facts", json::array({{"disk", "vda", "size", size}, {"disk", "vda", "serial", serial}})}};
}

}  // namespace

TEST_CASE("deploy: PXE and power on through the BMC, match with pools, plan, reports, hand-off") {
  Fixture f;
  auto n = f.enrol("s1", "52:54:00:00:00:01");
  auto dep = f.p->request_deploy("s1");
  REQUIRE(static_cast<bool>(dep));
  f.drain();
  {
    std::lock_guard l(f.bmc.mu);
    REQUIRE(f.bmc.calls.size() == 3);
    CHECK(f.bmc.calls[0] == "boot pxe");
    CHECK(f.bmc.calls[1] == "status");
    CHECK(f.bmc.calls[2] == "power on");
  }
  // The machine PXE-boots: the policy gives it the ramdisk and moves it to inspecting.
  pxe::Machine m;
  m.mac = *pxe::MacAddress::parse("52:54:00:00:00:01");
  auto boot = f.p->boot_policy().decide(m);
  REQUIRE(boot.action == pxe::BootDecision::Action::boot);
  f.p->boot_policy().drain();
  CHECK(f.reload("s1").state == NodeState::inspecting);
  CHECK(boot.cmdline.find("ingot.mode=deploy") != std::string::npos);

  auto plan = f.p->agent_facts(f.reload("s1"), facts("20"));
  REQUIRE(static_cast<bool>(plan));
  json pj = (*plan);
  CHECK(pj["action"] == "deploy");
  CHECK(pj["role"] == "small");
  CHECK(pj["image"] == "tiny@1");
  CHECK(pj["cmdline"] == "ro quiet");
  CHECK(pj["after"] == "poweroff");
  auto cur = f.reload("s1");
  CHECK(cur.state == NodeState::deploying);
  CHECK(cur.allocation["hostname"] == "small001");
  CHECK(cur.allocation["ip"] == "198.18.0.10");

  auto cfg = f.p->agent_config(cur, "tok");
  REQUIRE(static_cast<bool>(cfg));
  CHECK((*cfg)["files"]["/etc/hostname"]["content"] == "small001\n");
  CHECK((*cfg)["files"]["/etc/systemd/network/10-ingot.network"]["content"].get<std::string>().find(
            "Address=198.18.0.10/24") != std::string::npos);

  REQUIRE(static_cast<bool>(f.p->agent_report(cur, {{"phase", "image"}, {"status", "done"}, {"message", "ok"}})));
  {
    std::lock_guard l(f.bmc.mu);
    f.bmc.state = power::PowerState::off;  // the agent powered the machine off
    f.bmc.calls.clear();
  }
  REQUIRE(static_cast<bool>(f.p->agent_report(cur, {{"phase", "deployed"}, {"status", "done"}, {"message", "ok"}})));
  f.drain();
  CHECK(f.reload("s1").state == NodeState::deployed);
  {
    std::lock_guard l(f.bmc.mu);
    REQUIRE(f.bmc.calls.size() >= 3);
    CHECK(f.bmc.calls[f.bmc.calls.size() - 2] == "boot disk");
    CHECK(f.bmc.calls.back() == "power on");
  }
  CHECK(f.p->boot_policy().decide(m).action == pxe::BootDecision::Action::local_disk);
  REQUIRE(static_cast<bool>(f.p->agent_callback(f.reload("s1"), {{"hostname", "small001"}, {"role", "small"}})));
  CHECK(f.reload("s1").state == NodeState::configured);
  auto evs = f.p->inventory().events(cur.id);
  REQUIRE(evs);
  std::vector<std::string> phases;
  for (auto& e : *evs) phases.push_back(e.phase);
  for (auto want : {"enrol", "deploy", "pxe", "inspect", "match", "plan", "image", "deployed", "reboot", "handoff"})
    CHECK_MESSAGE(std::find(phases.begin(), phases.end(), want) != phases.end(), want);
}

TEST_CASE("a machine that matches no role fails at match with every role's nearest miss") {
  Fixture f;
  f.enrol("odd", "52:54:00:00:00:02", false);
  REQUIRE(static_cast<bool>(f.p->request_deploy("odd")));
  pxe::Machine m;
  m.mac = *pxe::MacAddress::parse("52:54:00:00:00:02");
  REQUIRE(f.p->boot_policy().decide(m).action == pxe::BootDecision::Action::boot);
  json no_disk = {{"facts", json::array({{"cpu", "physical", "number", "1"}})}};
  auto plan = f.p->agent_facts(f.reload("odd"), no_disk);
  REQUIRE(!plan);
  CHECK(server::http_status(plan.error()) == 409);
  auto n = f.reload("odd");
  CHECK(n.state == NodeState::failed);
  CHECK(n.phase == "match");
  CHECK(n.failure.find("big:") != std::string::npos);
  CHECK(n.failure.find("small:") != std::string::npos);
  // Failed machines are not booted again until the operator acts.
  CHECK(f.p->boot_policy().decide(m).action == pxe::BootDecision::Action::silent);
}

TEST_CASE("role counts hold across nodes and a failed deploy frees its slot") {
  Fixture f;
  for (auto [name, mac] : {std::pair{"b1", "52:54:00:00:01:01"}, std::pair{"b2", "52:54:00:00:01:02"}}) {
    f.enrol(name, mac, false);
    REQUIRE(static_cast<bool>(f.p->request_deploy(name)));
    pxe::Machine m;
    m.mac = *pxe::MacAddress::parse(mac);
    f.p->boot_policy().decide(m);
  }
  auto first = f.p->agent_facts(f.reload("b1"), facts("500", "SER1"));
  REQUIRE(static_cast<bool>(first));
  CHECK((*first)["role"] == "big");
  CHECK(f.reload("b1").variables["serial"] == "SER1");
  // big holds one node: the second big machine falls through to small? no: small needs < 100.
  auto second = f.p->agent_facts(f.reload("b2"), facts("500", "SER2"));
  REQUIRE(!second);
  // The agent hears that no role matches; the operator reads why on the node.
  CHECK(second.error().message().find("no role matches this machine") != std::string::npos);
  CHECK(second.error().message().find("big") == std::string::npos);
  CHECK(f.reload("b2").failure.find("full") != std::string::npos);

  // b1's deploy fails: its reservation is released and b2 can take the slot.
  REQUIRE(static_cast<bool>(
      f.p->agent_report(f.reload("b1"), {{"phase", "partition"}, {"status", "failed"}, {"message", "disk died"}})));
  CHECK(f.reload("b1").state == NodeState::failed);
  REQUIRE(static_cast<bool>(f.p->request_deploy("b2")));
  auto retry = f.p->agent_facts(f.reload("b2"), facts("500", "SER2"));
  REQUIRE(static_cast<bool>(retry));
  CHECK((*retry)["role"] == "big");
}

TEST_CASE("an unreachable BMC fails that node's deploy with the BMC's words") {
  Fixture f;
  f.enrol("lost", "52:54:00:00:00:03");
  f.bmc.unreachable = true;
  REQUIRE(static_cast<bool>(f.p->request_deploy("lost")));
  f.drain();
  auto n = f.reload("lost");
  CHECK(n.state == NodeState::failed);
  CHECK(n.phase == "power");
  CHECK(n.failure.find("no answer") != std::string::npos);
}

TEST_CASE("bad enrolments are refused with what to fix") {
  Fixture f;
  auto bad_mac = f.p->enrol({{"name", "x"}, {"mac", "52:54"}});
  REQUIRE(!bad_mac);
  CHECK(bad_mac.error().message().find("not a MAC") != std::string::npos);
  auto bad_bmc = f.p->enrol({{"name", "y"}, {"bmc", "http://nope"}});
  REQUIRE(!bad_bmc);
  f.enrol("z", "52:54:00:00:00:09");
  auto dup = f.p->enrol({{"name", "z"}});
  REQUIRE(!dup);
  CHECK(server::http_status(dup.error()) == 409);
  // The password is kept but never shown.
  CHECK(inventory::to_json(f.reload("z")).dump().find("secret") == std::string::npos);
}
