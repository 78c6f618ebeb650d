#include <doctest/doctest.h>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include "provisioner/inventory/inventory.h"
#include "provisioner/store/schema.h"
#include "tests/support/test_support.h"

using namespace ingot;
using namespace ingot::inventory;

namespace {
Inventory open_inv(const std::filesystem::path& p) {
  auto inv = Inventory::open(p);
  REQUIRE_MESSAGE(inv.has_value(), (inv ? "" : inv.error().message()));
  return std::move(*inv);
}
}  // namespace

TEST_CASE("enrol, find and list nodes; names must be hostname labels") {
  test::TempDir dir;
  auto inv = open_inv(dir / "ingot.db");
  auto a = inv.add_node({"compute-1", "52:54:00:00:00:01", "ipmi://admin@127.0.0.1:9623", "s3cret"});
  REQUIRE(a);
  CHECK(a->state == NodeState::enrolled);
  CHECK(a->has_bmc_password);
  auto b = inv.add_node({"compute-2", std::nullopt, std::nullopt, std::nullopt});
  REQUIRE(b);
  CHECK_FALSE(b->has_bmc_password);

  auto dup = inv.add_node({"compute-1", std::nullopt, std::nullopt, std::nullopt});
  REQUIRE_FALSE(dup);
  CHECK(dup.error().message().find("already exists") != std::string::npos);
  auto dup_mac = inv.add_node({"compute-3", "52:54:00:00:00:01", std::nullopt, std::nullopt});
  CHECK_FALSE(dup_mac);

  for (const char* bad : {"", "Compute", "-x", "a/b", "a b", "../etc"}) {
    auto r = inv.add_node({bad, std::nullopt, std::nullopt, std::nullopt});
    CHECK_FALSE(r);
  }

  auto by_mac = inv.find_by_mac("52:54:00:00:00:01");
  REQUIRE(by_mac);
  REQUIRE(by_mac->has_value());
  CHECK((*by_mac)->name == "compute-1");
  auto missing = inv.find_by_name("nope");
  REQUIRE(missing);
  CHECK_FALSE(missing->has_value());

  auto all = inv.list();
  REQUIRE(all);
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].name == "compute-1");
}

TEST_CASE("transitions follow the state machine and each leaves an event") {
  test::TempDir dir;
  auto inv = open_inv(dir / "ingot.db");
  auto n = inv.add_node({"storage-1", std::nullopt, std::nullopt, std::nullopt});
  REQUIRE(n);
  REQUIRE(inv.transition(n->id, NodeState::inspecting, "pxe", "booting into the deploy ramdisk"));
  auto bad = inv.transition(n->id, NodeState::deployed, "sync", "skip ahead");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message() == "node storage-1: cannot go from inspecting to deployed");

  auto failed = inv.transition(n->id, NodeState::failed, "match", "no role matches: disk size gt(400)");
  REQUIRE(failed);
  CHECK(failed->state == NodeState::failed);
  CHECK(failed->phase == "match");
  CHECK(failed->failure == "no role matches: disk size gt(400)");
  CHECK(to_json(*failed)["failure"] == "no role matches: disk size gt(400)");

  auto evs = inv.events(n->id);
  REQUIRE(evs);
  REQUIRE(evs->size() == 3);  // enrolled, inspecting, failed (the refused jump left nothing)
  CHECK((*evs)[1].data["from"] == "enrolled");
  CHECK((*evs)[1].data["to"] == "inspecting");
  CHECK((*evs)[2].kind == "error");
  CHECK((*evs)[2].node_name == "storage-1");

  auto later = inv.events(0, (*evs)[1].id);
  REQUIRE(later);
  CHECK(later->size() == 1);
}

TEST_CASE("agent tokens: only the newest works, and it maps to its own node") {
  test::TempDir dir;
  auto inv = open_inv(dir / "ingot.db");
  auto a = inv.add_node({"a", std::nullopt, std::nullopt, std::nullopt});
  auto b = inv.add_node({"b", std::nullopt, std::nullopt, std::nullopt});
  REQUIRE(a);
  REQUIRE(b);
  auto t1 = inv.issue_token(a->id);
  REQUIRE(t1);
  CHECK(t1->size() == 64);
  auto who = inv.node_for_token(*t1);
  REQUIRE(who);
  REQUIRE(who->has_value());
  CHECK((*who)->name == "a");

  auto t2 = inv.issue_token(a->id);
  REQUIRE(t2);
  CHECK(*t2 != *t1);
  auto old = inv.node_for_token(*t1);
  REQUIRE(old);
  CHECK_FALSE(old->has_value());
  auto none = inv.node_for_token("");
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  CHECK_FALSE(inv.issue_token(9999));
}

TEST_CASE("API view never carries the BMC password") {
  test::TempDir dir;
  auto inv = open_inv(dir / "ingot.db");
  auto a = inv.add_node({"a", std::nullopt, "ipmi://admin@127.0.0.1:623", "hunter2"});
  REQUIRE(a);
  std::string dumped = to_json(*a).dump();
  CHECK(dumped.find("hunter2") == std::string::npos);
  auto pw = inv.bmc_password(a->id);
  REQUIRE(pw);
  CHECK(pw->value() == "hunter2");
}

TEST_CASE("state survives reopening, and a newer schema is refused clearly") {
  test::TempDir dir;
  {
    auto inv = open_inv(dir / "ingot.db");
    auto a = inv.add_node({"a", "52:54:00:aa:bb:cc", std::nullopt, std::nullopt});
    REQUIRE(a);
    REQUIRE(inv.transition(a->id, NodeState::inspecting, "pxe", "inspect"));
    REQUIRE(inv.set_match(a->id, "compute", {{"hostname", "cmp001"}}, {{"disk", "sda"}}));
  }
  {
    auto inv = open_inv(dir / "ingot.db");
    auto a = inv.find_by_name("a");
    REQUIRE(a);
    REQUIRE(a->has_value());
    CHECK((*a)->state == NodeState::inspecting);
    CHECK((*a)->role == "compute");
    CHECK((*a)->allocation["hostname"] == "cmp001");
  }
  {
    auto db = store::Db::open(dir / "ingot.db");
    REQUIRE(db);
    REQUIRE(db->exec("PRAGMA user_version = 999"));
  }
  auto newer = Inventory::open(dir / "ingot.db");
  REQUIRE_FALSE(newer);
  CHECK(newer.error().message().find("newer than this ingot") != std::string::npos);
}

TEST_CASE("kill -9 in the middle of a burst of transitions leaves state and events consistent") {
  test::TempDir dir;
  auto path = dir / "ingot.db";
  {
    auto inv = open_inv(path);
    for (int i = 0; i < 20; ++i) REQUIRE(inv.add_node({"n" + std::to_string(i), std::nullopt, std::nullopt, std::nullopt}));
  }
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto inv = Inventory::open(path);
    if (!inv) _exit(3);
    for (int round = 0;; ++round) {
      for (int i = 0; i < 20; ++i) {
        auto n = inv->find_by_name("n" + std::to_string(i));
        if (!n || !n->has_value()) _exit(4);
        NodeState next = (*n)->state == NodeState::enrolled ? NodeState::inspecting : NodeState::enrolled;
        if (!inv->transition((*n)->id, next, "loop", "round " + std::to_string(round))) _exit(5);
      }
    }
  }
  usleep(300 * 1000);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));

  auto inv = open_inv(path);
  auto nodes = inv.list();
  REQUIRE(nodes);
  int moved = 0;
  for (const auto& n : *nodes) {
    auto evs = inv.events(n.id);
    REQUIRE(evs);
    REQUIRE_FALSE(evs->empty());
    // The node's state is exactly where its last event says it went.
    const auto& last = evs->back();
    std::string expected = last.data.contains("to") ? last.data["to"].get<std::string>() : "enrolled";
    CHECK(std::string(to_string(n.state)) == expected);
    moved += static_cast<int>(evs->size()) - 1;
  }
  CHECK(moved > 0);
}
