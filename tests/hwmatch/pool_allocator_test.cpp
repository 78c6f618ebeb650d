// Allocation through the PoolStore seam: determinism, stickiness, release, exhaustion,
// pre-assigned entries, pools files, and every fake store.
#include <doctest/doctest.h>

#include <algorithm>
#include <ostream>  // doctest prints std::error_code through it
#include <random>
#include <set>

#include "hwmatch/pool_allocator.h"
#include "hwmatch/pool_error.h"
#include "tests/hwmatch/pool_fakes.h"

using namespace ingot;
using namespace ingot::hwmatch;

namespace {

RolePoolMap load(const std::string& role, const std::string& json) {
  auto p = RolePools::from_json(json, role + "/pools.json");
  REQUIRE_MESSAGE(p.has_value(), (p.has_value() ? "" : p.error().message()));
  return RolePoolMap{{role, std::move(*p)}};
}

const char* const kCompute = R"({
  "hostname": "compute001-003",
  "ip": "10.0.0.10-11:20",
  "ipv6": ["fd00::a-b", "fd00::100-fd00::100"],
  "gateway": "10.0.0.1"
})";

// What a compute node's allocation through `store` fails with (it must fail).
Error allocation_error(const RolePoolMap& pools, PoolStore& store) {
  auto r = PoolAllocator(pools, store).allocate("compute", "n", {});
  REQUIRE_FALSE(r.has_value());
  return r.error();
}

}  // namespace

TEST_CASE("first free value of each pool, constants for everyone") {
  auto pools = load("compute", kCompute);
  MemoryPoolStore store;
  PoolAllocator alloc(pools, store);
  auto a = alloc.allocate("compute", "node-a", {});
  REQUIRE(a.has_value());
  CHECK(*a == PoolValues{{"hostname", "compute001"}, {"ip", "10.0.0.10"}, {"ipv6", "fd00::a"}, {"gateway", "10.0.0.1"}});
  auto b = alloc.allocate("compute", "node-b", {});
  REQUIRE(b.has_value());
  CHECK(*b == PoolValues{{"hostname", "compute002"}, {"ip", "10.0.0.11"}, {"ipv6", "fd00::b"}, {"gateway", "10.0.0.1"}});
  auto c = alloc.allocate("compute", "node-c", {});
  REQUIRE(c.has_value());
  CHECK(c->at("ip") == "10.0.0.20");        // the second ':'-joined range
  CHECK(c->at("ipv6") == "fd00::100");      // the second pattern of the list
}

TEST_CASE("same node, same values: allocation is idempotent") {
  auto pools = load("compute", kCompute);
  MemoryPoolStore store;
  PoolAllocator alloc(pools, store);
  auto first = alloc.allocate("compute", "node-a", {});
  (void)alloc.allocate("compute", "node-b", {});
  auto again = alloc.allocate("compute", "node-a", {{"serial", "whatever"}});
  REQUIRE(first.has_value());
  REQUIRE(again.has_value());
  CHECK(*first == *again);
  CHECK(store.held("compute")->size() == 2);
}

TEST_CASE("exhaustion is a clear error; release returns values") {
  auto pools = load("compute", kCompute);
  MemoryPoolStore store;
  PoolAllocator alloc(pools, store);
  for (const char* n : {"a", "b", "c"}) REQUIRE(alloc.allocate("compute", n, {}).has_value());
  auto d = alloc.allocate("compute", "d", {});
  REQUIRE_FALSE(d.has_value());
  CHECK(d.error().code == PoolError::exhausted);
  CHECK(d.error().message() == "role 'compute': pool 'hostname': all 3 values of compute001-003 are taken");
  CHECK(store.find("compute", "d")->has_value() == false);  // nothing half-stored

  CHECK(alloc.release("compute", "b").value() == true);
  CHECK(alloc.release("compute", "b").value() == false);
  auto d2 = alloc.allocate("compute", "d", {});
  REQUIRE(d2.has_value());
  CHECK(d2->at("hostname") == "compute002");  // b's values went back to the pool
  CHECK(d2->at("ip") == "10.0.0.11");
}

TEST_CASE("pools are per role; a role without pools allocates nothing") {
  auto pools = load("compute", kCompute);
  pools.emplace("storage", *RolePools::from_json(R"({"hostname": "stor1-2"})", "storage"));
  MemoryPoolStore store;
  PoolAllocator alloc(pools, store);
  CHECK(alloc.allocate("compute", "n1", {})->at("hostname") == "compute001");
  CHECK(alloc.allocate("storage", "n2", {})->at("hostname") == "stor1");
  CHECK(alloc.allocate("controller", "n3", {})->empty());
}

TEST_CASE("$$var picks a pre-assigned entry; its values are kept from everyone else") {
  auto pools = load("controller", R"({
    "hostname": "ctl1-4",
    "ip": "10.0.1.10-13",
    "$$serial": {
      "SN-B": {"hostname": "ctl1", "ip": "10.0.1.10", "rack": "r2"},
      "SN-C": {"hostname": "ctl-special"}
    }
  })");
  MemoryPoolStore store;
  PoolAllocator alloc(pools, store);
  // Unknown serial: pools, skipping what SN-B keeps (ctl1, 10.0.1.10).
  auto a = alloc.allocate("controller", "node-a", {{"serial", "SN-A"}});
  REQUIRE(a.has_value());
  CHECK(*a == PoolValues{{"hostname", "ctl2"}, {"ip", "10.0.1.11"}});
  auto b = alloc.allocate("controller", "node-b", {{"serial", "SN-B"}});
  REQUIRE(b.has_value());
  CHECK(*b == PoolValues{{"hostname", "ctl1"}, {"ip", "10.0.1.10"}, {"rack", "r2"}});
  // An entry naming only some keys: the rest come from the pools.
  auto c = alloc.allocate("controller", "node-c", {{"serial", "SN-C"}});
  REQUIRE(c.has_value());
  CHECK(*c == PoolValues{{"hostname", "ctl-special"}, {"ip", "10.0.1.12"}});
  // A second machine claiming SN-B's serial cannot take its address.
  auto dup = alloc.allocate("controller", "node-d", {{"serial", "SN-B"}});
  REQUIRE_FALSE(dup.has_value());
  CHECK(dup.error().code == PoolError::conflict);
}

TEST_CASE("1000 nodes: distinct values, sticky on every retry, exhaustion at the pool size") {
  auto pools = load("compute", R"({"hostname": "c0001-1000", "ip": "10.1.0-3.0-249"})");
  MemoryPoolStore store;
  PoolAllocator alloc(pools, store);
  std::vector<std::string> nodes;
  for (int i = 0; i < 1000; ++i) nodes.push_back("node-" + std::to_string(i));
  std::shuffle(nodes.begin(), nodes.end(), std::mt19937(42));
  std::set<std::string> names, ips;
  std::map<std::string, PoolValues> first;
  for (const auto& n : nodes) {
    auto v = alloc.allocate("compute", n, {});
    REQUIRE(v.has_value());
    names.insert(v->at("hostname"));
    ips.insert(v->at("ip"));
    first[n] = *v;
  }
  CHECK(names.size() == 1000);
  CHECK(ips.size() == 1000);
  for (const auto& n : nodes) CHECK(alloc.allocate("compute", n, {}).value() == first[n]);
  CHECK(alloc.allocate("compute", "one-too-many", {}).error().code == PoolError::exhausted);
}

TEST_CASE("fake stores: broken, empty, fixed, racing") {
  auto pools = load("compute", kCompute);
  SUBCASE("broken: the store's error comes back, named") {
    fakes::BrokenPoolStore store;
    Error e = allocation_error(pools, store);
    CHECK(e.code == PoolError::store_failed);
    CHECK(e.message().find("disk on fire") != std::string::npos);
    CHECK(PoolAllocator(pools, store).release("compute", "n").error().code == PoolError::store_failed);
  }
  SUBCASE("empty: a store that refuses every insert ends in a conflict, not a loop") {
    fakes::EmptyPoolStore store;
    CHECK(allocation_error(pools, store).code == PoolError::conflict);
  }
  SUBCASE("fixed: existing holders are skipped and sticky nodes get theirs back") {
    fakes::FixedPoolStore store({{"compute", {{"old", {{"hostname", "compute001"}, {"ip", "10.0.0.10"}}}}}});
    PoolAllocator alloc(pools, store);
    CHECK(alloc.allocate("compute", "old", {})->at("hostname") == "compute001");
    PoolValues picked = *pools.at("compute").pick({}, {store.held("compute")->at("old")});
    CHECK(picked.at("hostname") == "compute002");
    CHECK(picked.at("ip") == "10.0.0.11");
  }
  SUBCASE("racing: a value taken between pick and insert is picked past") {
    fakes::RacingPoolStore store;
    PoolAllocator alloc(pools, store);
    auto r = alloc.allocate("compute", "n", {});
    REQUIRE(r.has_value());
    CHECK(r->at("hostname") == "compute002");
    CHECK(store.find("compute", "racer")->value().at("hostname") == "compute001");
  }
}

TEST_CASE("pools files: errors name the file and key") {
  auto err = [](const std::string& json) {
    auto r = RolePools::from_json(json, "roles/compute/pools.json");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == PoolError::bad_config);
    return r.error().message();
  };
  CHECK(err("{") == "roles/compute/pools.json: not valid JSON");
  CHECK(err("[]") == "roles/compute/pools.json: expected an object of key: pattern");
  CHECK(err(R"({"ip": 5})") == "roles/compute/pools.json: ip: expected a pattern string or a list of them");
  CHECK(err(R"({"ip": "10.0.0.1-300"})").find("pool 'ip': pool pattern '10.0.0.1-300': octet 4") != std::string::npos);
  CHECK(err(R"({"ip": ["10.0.0.1-3", "10.0.0.9"]})").find("a list holds ranges only") != std::string::npos);
  CHECK(err(R"({"ip": []})").find("has no pattern") != std::string::npos);
  CHECK(err(R"({"$$serial": {"SN1": {"ip": 1}}})") == "roles/compute/pools.json: $$serial.SN1.ip: expected a string");
  CHECK(err(R"({"$$serial": ["x"]})").find("expected {value: {key: value}}") != std::string::npos);
}
