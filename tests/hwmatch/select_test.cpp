// Role selection: order, counts, reservation/commit/release, expiry, stickiness, and 1000 nodes
// arriving in any order ending with the same assignments.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>

#include "hwmatch/edeploy_cmdb.h"
#include "hwmatch/pool_selection.h"
#include "hwmatch/selector.h"
#include "spec_test_util.h"

using namespace ingot;
using namespace ingot::hwmatch;
using namespace ingot::hwmatch::test;

namespace {

Role role(const std::string& name, std::optional<std::size_t> count, const std::string& spec) {
  return Role{name, count, spec_of(spec, "roles/" + name + "/hardware.spec"), {}, false};
}

Facts node_facts(int i, const std::string& memory_gb) {
  char mac[32];
  std::snprintf(mac, sizeof mac, "52:54:00:00:%02x:%02x", (i >> 8) & 0xff, i & 0xff);
  return {{"system", "product", "serial", "SN" + std::to_string(1000 + i)},
          {"memory", "total", "size", memory_gb},
          {"disk", "sda", "size", std::to_string(200 + (i % 7) * 100)},
          {"network", "eth0", "serial", mac}};
}

// A store whose every call fails, like a database that went away.
class BrokenStore final : public AssignmentStore {
 public:
  Result<std::optional<Assignment>> find(const std::string&) override { return fail("store: database is locked"); }
  Result<bool> reserve(const Assignment&, std::optional<std::size_t>) override { return fail("store: disk full"); }
  Result<void> commit(const std::string&) override { return fail("store: disk full"); }
  Result<void> release(const std::string&) override { return fail("store: disk full"); }
  Result<std::vector<Assignment>> list() override { return fail("store: database is locked"); }
};

// Finds nothing, but refuses to write: a read-only replica.
class ReadOnlyStore final : public AssignmentStore {
 public:
  Result<std::optional<Assignment>> find(const std::string&) override { return std::optional<Assignment>{}; }
  Result<bool> reserve(const Assignment&, std::optional<std::size_t>) override { return fail("store: read-only"); }
  Result<void> commit(const std::string&) override { return fail("store: read-only"); }
  Result<void> release(const std::string&) override { return fail("store: read-only"); }
  Result<std::vector<Assignment>> list() override { return std::vector<Assignment>{}; }
};

}  // namespace

TEST_CASE("roles are tried in order: the first that matches wins") {
  std::vector<Role> roles = {role("hp", 4, "memory total size ge(64)\n"), role("vm", std::nullopt, "disk $d size gt(1)\n")};
  MemoryAssignmentStore store;
  Selector sel(roles, store);
  auto d = sel.select("n1", node_facts(1, "128"), 0);
  REQUIRE(d);
  REQUIRE(d->assigned);
  CHECK(d->assignment.role == "hp");
  CHECK(d->assignment.state == Assignment::State::reserved);
  auto small = sel.select("n2", node_facts(2, "32"), 0);
  REQUIRE(small);
  CHECK(small->assignment.role == "vm");
  REQUIRE(small->outcomes.size() == 2);
  CHECK(small->outcomes[0].kind == RoleOutcome::Kind::no_match);
  CHECK(small->outcomes[0].detail.empty());  // nearest misses only when asked
}

TEST_CASE("counts: a full role is skipped, 0 pauses a role, exhaustion leaves the node unassigned") {
  std::vector<Role> roles = {role("paused", 0, "disk $d size gt(1)\n"), role("ctl", 2, "disk $d size gt(1)\n")};
  MemoryAssignmentStore store;
  Selector sel(roles, store);
  for (int i = 0; i < 2; ++i) {
    auto d = sel.select("n" + std::to_string(i), node_facts(i, "64"), 0);
    REQUIRE(d);
    CHECK(d->assignment.role == "ctl");
    CHECK(d->outcomes[0].kind == RoleOutcome::Kind::disabled);
  }
  auto third = sel.select("n2", node_facts(2, "64"), 0);
  REQUIRE(third);
  CHECK_FALSE(third->assigned);
  REQUIRE(third->outcomes.size() == 2);
  CHECK(third->outcomes[1].kind == RoleOutcome::Kind::full);
  CHECK(third->outcomes[1].detail == "matches, but all 2 slots are taken");
}

TEST_CASE("a reservation is released on failure and on timeout, never once committed") {
  std::vector<Role> roles = {role("ctl", 1, "disk $d size gt(1)\n"), role("compute", std::nullopt, "disk $d size gt(1)\n")};
  MemoryAssignmentStore store;
  Selector sel(roles, store);
  REQUIRE(sel.select("a", node_facts(1, "64"), 100)->assignment.role == "ctl");
  CHECK(sel.select("b", node_facts(2, "64"), 100)->assignment.role == "compute");
  REQUIRE(sel.failed("a"));  // deploy of a failed: its controller slot goes back
  CHECK(sel.select("c", node_facts(3, "64"), 110)->assignment.role == "ctl");
  // c never reports back: after the timeout its slot is free again.
  CHECK(sel.expire(200, 300)->empty());
  auto expired = sel.expire(410, 300);  // b (compute) and c, both still only reserved
  REQUIRE(expired->size() == 2);
  CHECK((*expired)[0].node == "b");
  CHECK((*expired)[1].node == "c");
  CHECK(sel.select("d", node_facts(4, "64"), 420)->assignment.role == "ctl");
  REQUIRE(sel.deployed("d"));
  CHECK(sel.expire(100000, 300)->empty());  // committed: stays
  CHECK(sel.select("e", node_facts(5, "64"), 100001)->assignment.role == "compute");
  CHECK_FALSE(sel.failed("nobody"));
  CHECK_FALSE(sel.deployed("nobody"));
}

TEST_CASE("sticky: a node gets its role and bindings back even when the role is now full") {
  std::vector<Role> roles = {role("ctl", 1, "disk $d size $size=gt(1)\n"), role("compute", std::nullopt, "disk $d size gt(1)\n")};
  MemoryAssignmentStore store;
  Selector sel(roles, store);
  auto first = sel.select("a", node_facts(3, "64"), 0);
  REQUIRE(first->assignment.role == "ctl");
  auto again = sel.select("a", node_facts(3, "64"), 50);
  REQUIRE(again);
  CHECK(again->sticky);
  CHECK(again->assignment.role == "ctl");
  CHECK(again->assignment.since == 0);
  REQUIRE(again->assignment.bindings.size() == 2);
  CHECK(again->assignment.bindings[1].value == "500");
  // A role removed from the configuration does not hold its nodes hostage.
  std::vector<Role> without_ctl = {roles[1]};
  Selector sel2(without_ctl, store);
  auto moved = sel2.select("a", node_facts(3, "64"), 60);
  REQUIRE(moved);
  CHECK_FALSE(moved->sticky);
  CHECK(moved->assignment.role == "compute");
}

TEST_CASE("explain: a node that matches nothing gets every role's nearest miss") {
  std::vector<Role> roles = {role("big", std::nullopt, "memory total size ge(256)\n"),
                             role("disky", std::nullopt, "disk $d size gt(400)\n")};
  MemoryAssignmentStore store;
  Selector sel(roles, store);
  auto d = sel.select("n", node_facts(0, "64"), 0, /*explain=*/true);
  REQUIRE(d);
  CHECK_FALSE(d->assigned);
  REQUIRE(d->outcomes.size() == 2);
  CHECK(d->outcomes[0].detail ==
        "roles/big/hardware.spec:1:1: memory total size ge(256): largest memory total size is 64");
  CHECK(d->outcomes[1].detail == "roles/disky/hardware.spec:1:1: disk $d size gt(400): largest disk size is 200 (sda)");
}

TEST_CASE("store failures surface as errors, never as a wrong decision") {
  std::vector<Role> roles = {role("any", std::nullopt, "disk $d size gt(1)\n")};
  BrokenStore broken;
  auto d = Selector(roles, broken).select("n", node_facts(0, "64"), 0);
  REQUIRE_FALSE(d);
  CHECK(d.error().message() == "store: database is locked");
  ReadOnlyStore ro;
  auto r = Selector(roles, ro).select("n", node_facts(0, "64"), 0);
  REQUIRE_FALSE(r);
  CHECK(r.error().message() == "store: read-only");
  MemoryAssignmentStore store;
  CHECK_FALSE(Selector(roles, store).select("", node_facts(0, "64"), 0));
}

TEST_CASE("node identity: UUID, else a real serial, else the lowest MAC") {
  Facts f = {{"network", "eth1", "serial", "52:54:00:00:00:09"},
             {"network", "eth0", "serial", "52:54:00:00:00:02"},
             {"system", "product", "serial", "To Be Filled By O.E.M."}};
  CHECK(node_identity(f) == "mac:52:54:00:00:00:02");
  f.push_back({"system", "product", "serial", "9K9PW02"});
  CHECK(node_identity(f) == "serial:9K9PW02");
  f.push_back({"system", "product", "uuid", "03000200-0400-0500-0006-000700080009"});
  CHECK(node_identity(f) == "serial:9K9PW02");
  f.push_back({"system", "product", "uuid", "8e5b8d5e-1111-4c1a-9a0e-000000000012"});
  CHECK(node_identity(f) == "uuid:8e5b8d5e-1111-4c1a-9a0e-000000000012");
  CHECK(node_identity(Facts{}).empty());
}

namespace {

struct Fleet {
  std::vector<Role> roles;
  std::vector<std::pair<std::string, Facts>> nodes;  // sorted by name
};

// 1000 nodes of three memory sizes; 'big' holds 50, 'mid' 300, compute the rest. The compute
// role hands out CMDB entries (hostname and IP) first free, so allocation depends on order.
Fleet fleet() {
  Fleet f;
  f.roles = {role("big", 50, "memory total size ge(512)\nnetwork $eth serial $$mac\n"),
             role("mid", 300, "memory total size ge(256)\ndisk $d size ge(300)\n"),
             role("compute", std::nullopt, "memory total size ge(64)\nnetwork $eth serial $mac\n")};
  f.roles[2].has_cmdb = true;
  for (int i = 0; i < 1000; ++i) {
    char host[32];
    std::snprintf(host, sizeof host, "compute%04d", i);
    f.roles[2].cmdb.push_back({{"hostname", host}, {"ip", "198.18." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1)}});
  }
  const char* sizes[] = {"1024", "384", "128"};
  for (int i = 0; i < 1000; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "node%04d", i);
    f.nodes.emplace_back(name, node_facts(i, sizes[(i * 7) % 3]));
  }
  return f;
}

std::map<std::string, Assignment> arrive(Selector& sel, const std::vector<std::pair<std::string, Facts>>& order) {
  std::map<std::string, Assignment> out;
  for (const auto& [name, facts] : order) {
    auto d = sel.select(name, facts, 0);
    REQUIRE(d);
    REQUIRE(d->assigned);
    out[name] = d->assignment;
  }
  return out;
}

void require_same(const std::map<std::string, Assignment>& a, const std::map<std::string, Assignment>& b, bool allocation) {
  REQUIRE(a.size() == b.size());
  for (const auto& [node, x] : a) {
    const Assignment& y = b.at(node);
    CAPTURE(node);
    REQUIRE(x.role == y.role);
    REQUIRE(x.bindings.size() == y.bindings.size());
    for (std::size_t i = 0; i < x.bindings.size(); ++i) REQUIRE(x.bindings[i].value == y.bindings[i].value);
    if (allocation) REQUIRE(x.allocation == y.allocation);
  }
}

}  // namespace

TEST_CASE("1000 nodes: once assigned, any arrival order gets the same roles and allocations back") {
  Fleet f = fleet();
  MemoryAssignmentStore store;
  Selector sel(f.roles, store, cmdb_allocate);
  auto sorted = arrive(sel, f.nodes);
  for (const auto& [node, _] : sorted) REQUIRE(sel.deployed(node));
  std::size_t big = 0, mid = 0;
  std::set<std::string> hostnames;
  for (const auto& [_, a] : sorted) {
    big += a.role == "big";
    mid += a.role == "mid";
    if (a.role == "compute") REQUIRE(hostnames.insert(a.allocation.at("hostname")).second);  // never handed out twice
  }
  CHECK(big == 50);
  CHECK(mid == 300);
  CHECK(hostnames.size() == 650);

  auto shuffled = f.nodes;
  std::mt19937 rng(20261125);
  for (int round = 0; round < 3; ++round) {
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    Selector again(f.roles, store, cmdb_allocate);  // a restarted server over the same store
    require_same(sorted, arrive(again, shuffled), /*allocation=*/true);
  }
}

TEST_CASE("1000 nodes: with room for all, roles depend only on hardware, not on arrival order") {
  Fleet f = fleet();
  f.roles[0].count.reset();
  f.roles[1].count.reset();
  MemoryAssignmentStore s1, s2;
  Selector a(f.roles, s1), b(f.roles, s2);
  auto sorted = arrive(a, f.nodes);
  auto shuffled = f.nodes;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(7));
  require_same(sorted, arrive(b, shuffled), /*allocation=*/false);
}

TEST_CASE("1000 nodes with pools: shuffled re-arrival keeps allocations; pre-assigned serials ignore order") {
  Fleet f = fleet();
  f.roles[2].has_cmdb = false;
  f.roles[2].cmdb.clear();
  RolePoolMap pools;
  auto big = RolePools::from_json(R"({"hostname": "big001-050", "ip": "198.18.1.1-50", "gateway": "198.18.0.1"})", "big/pools.json");
  auto cmp = RolePools::from_json(R"({"hostname": "cmp0001-1000", "ip": "198.18.2-5.1-250"})", "compute/pools.json");
  REQUIRE(big);
  REQUIRE(cmp);
  pools.emplace("big", std::move(*big));
  pools.emplace("compute", std::move(*cmp));
  MemoryAssignmentStore store;
  Selector sel(f.roles, store, pools_allocate_fn(pools));
  auto sorted = arrive(sel, f.nodes);
  std::set<std::string> ips;
  for (const auto& [_, a] : sorted)
    if (a.role != "mid") REQUIRE(ips.insert(a.allocation.at("ip")).second);
  CHECK(sorted.at("node0000").allocation.at("hostname") == "big001");
  auto shuffled = f.nodes;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(99));
  Selector again(f.roles, store, pools_allocate_fn(pools));
  require_same(sorted, arrive(again, shuffled), /*allocation=*/true);

  // Every big machine's serial pre-assigned (and room for all): its allocation no longer
  // depends on who came first.
  std::string table;
  for (const auto& [name, facts] : f.nodes) {
    if (facts[1].value != "1024") continue;
    const std::string& serial = facts[0].value;
    table += std::string(table.empty() ? "" : ",") + "\"" + serial + "\": {\"hostname\": \"big-" + serial + "\"}";
  }
  f.roles[0] = role("big", std::nullopt, "memory total size ge(512)\nsystem product serial $$serial\n");
  RolePoolMap pinned;
  auto pre = RolePools::from_json("{\"$$serial\": {" + table + "}}", "big/pools.json");
  REQUIRE_MESSAGE(pre, (pre ? "" : pre.error().message()));
  pinned.emplace("big", std::move(*pre));
  MemoryAssignmentStore s1, s2;
  Selector in_order(f.roles, s1, pools_allocate_fn(pinned)), out_of_order(f.roles, s2, pools_allocate_fn(pinned));
  auto a = arrive(in_order, f.nodes);
  auto b = arrive(out_of_order, shuffled);
  std::size_t pinned_nodes = 0;
  for (const auto& [name, x] : a) {
    if (x.role != "big") continue;
    ++pinned_nodes;
    REQUIRE(x.allocation.at("hostname") == "big-" + f.nodes[std::stoul(name.substr(4))].second[0].value);
    REQUIRE(b.at(name).role == "big");
    REQUIRE(b.at(name).allocation == x.allocation);
  }
  CHECK(pinned_nodes == 334);
}
