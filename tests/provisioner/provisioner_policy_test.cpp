#include <doctest/doctest.h>

#include <cstdio>
#include <thread>

#include "provisioner/agent/kernel_cmdline.h"
#include "provisioner/boot/provisioner_policy.h"
#include "tests/support/test_support.h"

using namespace ingot;
using inventory::NodeState;
using pxe::BootDecision;

namespace {
pxe::Machine machine(const char* mac) {
  pxe::Machine m;
  m.mac = *pxe::MacAddress::parse(mac);
  return m;
}
}  // namespace

TEST_CASE("with discovery on, an unknown machine is enrolled and inspected with a working token") {
  test::TempDir dir;
  auto inv = inventory::Inventory::open(dir / "ingot.db");
  REQUIRE(inv);
  boot::ProvisionerPolicy policy(*inv, {"k", "i", "http://198.18.0.1:8080", "console=ttyS0"}, {true});
  auto d = policy.decide(machine("52:54:00:00:00:aa"));
  REQUIRE(d.action == BootDecision::Action::boot);
  CHECK(d.kernel == "k");
  auto boot = agent::agent_boot_from_cmdline(d.cmdline);
  REQUIRE_MESSAGE(boot, d.cmdline);
  CHECK(boot->mode == "inspect");
  policy.drain();  // the enrolment is written after the answer, off the network thread
  auto node = inv->node_for_token(boot->token);
  REQUIRE(node);
  REQUIRE(node->has_value());
  CHECK((*node)->name == "auto-5254000000aa");
  CHECK((*node)->state == NodeState::inspecting);
  CHECK((*node)->goal == boot::kDiscoveredGoal);

  // Asked again (DHCP, then the script): same token, no new node.
  auto d2 = policy.decide(machine("52:54:00:00:00:aa"));
  CHECK(d2.cmdline == d.cmdline);
  policy.drain();
  CHECK(inv->list()->size() == 1);
}

TEST_CASE("decide answers from memory: many asks before the writer runs make one node and one token") {
  test::TempDir dir;
  auto inv = inventory::Inventory::open(dir / "ingot.db");
  REQUIRE(inv);
  boot::ProvisionerPolicy policy(*inv, {"k", "i", "http://s", ""}, {true});
  // Hold the database's lock: any decide() that touched SQLite would block here.
  std::string first;
  {
    auto held = inv->db().lock();
    std::thread asker([&] {
      for (int i = 0; i < 5; ++i) {
        auto d = policy.decide(machine("52:54:00:00:00:bb"));
        if (first.empty()) first = d.cmdline;
        CHECK(d.cmdline == first);
      }
    });
    asker.join();  // returns while the lock is still held: no database on the answer's path
  }
  policy.drain();
  CHECK(inv->list()->size() == 1);
  auto node = inv->node_for_token(agent::agent_boot_from_cmdline(first)->token);
  REQUIRE(node);
  REQUIRE(node->has_value());
  CHECK((*node)->state == NodeState::inspecting);
}

TEST_CASE("boot follows the node's state and goal") {
  test::TempDir dir;
  auto inv = inventory::Inventory::open(dir / "ingot.db");
  REQUIRE(inv);
  auto n = inv->add_node({"cmp1", "52:54:00:00:00:01", std::nullopt, std::nullopt});
  REQUIRE(n);
  REQUIRE(inv->set_goal(n->id, "deploy"));
  boot::ProvisionerPolicy policy(*inv, {"k", "i", "http://s", ""});
  auto d = policy.decide(machine("52:54:00:00:00:01"));
  REQUIRE(d.action == BootDecision::Action::boot);
  CHECK(d.cmdline.find("ingot.mode=deploy") != std::string::npos);
  policy.drain();
  CHECK(inv->get(n->id)->value().state == NodeState::inspecting);

  REQUIRE(inv->transition(n->id, NodeState::matched, "match", "compute"));
  REQUIRE(inv->transition(n->id, NodeState::deploying, "partition", "go"));
  CHECK(policy.decide(machine("52:54:00:00:00:01")).action == BootDecision::Action::boot);
  REQUIRE(inv->transition(n->id, NodeState::deployed, "reboot", "done"));
  CHECK(policy.decide(machine("52:54:00:00:00:01")).action == BootDecision::Action::local_disk);
  REQUIRE(inv->transition(n->id, NodeState::failed, "handoff", "callback timed out"));
  CHECK(policy.decide(machine("52:54:00:00:00:01")).action == BootDecision::Action::silent);
}

TEST_CASE("a token survives a server restart: the old one still authenticates until reissued") {
  test::TempDir dir;
  std::string token;
  {
    auto inv = inventory::Inventory::open(dir / "ingot.db");
    REQUIRE(inv);
    boot::ProvisionerPolicy policy(*inv, {"k", "i", "http://s", ""}, {true});
    auto d = policy.decide(machine("52:54:00:00:00:02"));
    token = agent::agent_boot_from_cmdline(d.cmdline)->token;
  }
  auto inv = inventory::Inventory::open(dir / "ingot.db");
  REQUIRE(inv);
  auto node = inv->node_for_token(token);
  REQUIRE(node);
  CHECK(node->has_value());
}

TEST_CASE("discovery is off by default, and capped when on") {
  test::TempDir dir;
  auto inv = inventory::Inventory::open(dir / "ingot.db");
  REQUIRE(inv);
  {
    boot::ProvisionerPolicy off(*inv, {"k", "i", "http://s", ""});
    for (int i = 0; i < 50; ++i) {
      char mac[18];
      std::snprintf(mac, sizeof mac, "52:54:00:00:10:%02x", i);
      CHECK(off.decide(machine(mac)).action == BootDecision::Action::silent);
    }
    off.drain();
    CHECK(inv->list()->empty());
  }
  boot::ProvisionerPolicy on(*inv, {"k", "i", "http://s", ""}, {true, 3});
  int answered = 0;
  for (int i = 0; i < 50; ++i) {
    char mac[18];
    std::snprintf(mac, sizeof mac, "52:54:00:00:20:%02x", i);
    answered += on.decide(machine(mac)).action == BootDecision::Action::boot;
  }
  on.drain();
  CHECK(answered == 3);
  CHECK(inv->list()->size() == 3);
  // A restarted server counts what is already there against the cap.
  boot::ProvisionerPolicy again(*inv, {"k", "i", "http://s", ""}, {true, 3});
  CHECK(again.decide(machine("52:54:00:00:30:01")).action == BootDecision::Action::silent);
}
