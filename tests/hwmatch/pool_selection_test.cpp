// Pools through role selection: roles/<role>/pools.json loaded beside hardware.spec, the
// AllocateFn adapter, $$var pre-assigned entries, exhaustion as "no allocation", stickiness.
#include <doctest/doctest.h>

#include <ostream>

#include "hwmatch/pool_error.h"
#include "hwmatch/pool_selection.h"
#include "hwmatch/role_loader.h"
#include "tests/support/test_support.h"

using namespace ingot;
using namespace ingot::hwmatch;

namespace {

Facts machine(const std::string& serial) {
  return {{"system", "product", "serial", serial}, {"cpu", "logical", "number", "8"}};
}

struct Site {
  test::TempDir dir;
  Site(const std::string& pools_json) {
    test::write_file(dir / "order", "compute *\n");
    std::filesystem::create_directories(dir / "compute");
    test::write_file(dir / "compute/hardware.spec",
                     "system product serial $$serial\ncpu logical number ge(2)\n");
    test::write_file(dir / "compute/pools.json", pools_json);
  }
};

}  // namespace

TEST_CASE("selection hands matched nodes pool values, pre-assigned entries first") {
  Site site(R"({"hostname": "cmp1-2", "ip": "198.18.5.10-11",
                "$$serial": {"SN-VIP": {"hostname": "cmp-vip", "ip": "198.18.5.99"}}})");
  auto roles = load_roles(site.dir.path());
  REQUIRE(roles.has_value());
  auto pools = load_role_pools(site.dir.path(), roles->roles);
  REQUIRE(pools.has_value());
  MemoryAssignmentStore store;
  Selector selector(roles->roles, store, pools_allocate_fn(*pools));

  auto a = selector.select("node-a", machine("SN-A"), 0);
  REQUIRE(a.has_value());
  REQUIRE(a->assigned);
  CHECK(a->assignment.allocation == Allocation{{"hostname", "cmp1"}, {"ip", "198.18.5.10"}});
  auto vip = selector.select("node-v", machine("SN-VIP"), 0);
  REQUIRE(vip.has_value());
  CHECK(vip->assignment.allocation == Allocation{{"hostname", "cmp-vip"}, {"ip", "198.18.5.99"}});
  auto b = selector.select("node-b", machine("SN-B"), 0);
  REQUIRE(b.has_value());
  CHECK(b->assignment.allocation.at("hostname") == "cmp2");

  // Exhausted: the role matches but has nothing to hand out.
  auto c = selector.select("node-c", machine("SN-C"), 0);
  REQUIRE(c.has_value());
  CHECK_FALSE(c->assigned);
  REQUIRE(c->outcomes.size() == 1);
  CHECK(c->outcomes[0].kind == RoleOutcome::Kind::no_allocation);
  CHECK(c->outcomes[0].detail == "role 'compute': pool 'hostname': all 2 values of cmp1-2 are taken");

  // Sticky, and a failed deploy returns the values.
  auto again = selector.select("node-a", machine("SN-A"), 1);
  REQUIRE(again.has_value());
  CHECK(again->sticky);
  CHECK(again->assignment.allocation.at("ip") == "198.18.5.10");
  REQUIRE(selector.failed("node-b").has_value());
  auto c2 = selector.select("node-c", machine("SN-C"), 2);
  REQUIRE(c2.has_value());
  CHECK(c2->assignment.allocation.at("hostname") == "cmp2");
}

TEST_CASE("a bad pools.json is an error naming the file") {
  Site site(R"({"ip": "198.18.5.300-301"})");
  auto roles = load_roles(site.dir.path());
  REQUIRE(roles.has_value());
  auto pools = load_role_pools(site.dir.path(), roles->roles);
  REQUIRE_FALSE(pools.has_value());
  CHECK(pools.error().code == PoolError::bad_config);
  CHECK(pools.error().message().find("compute/pools.json: pool 'ip'") != std::string::npos);
}

TEST_CASE("roles without pools.json allocate nothing") {
  Site site("{}");
  std::filesystem::remove(site.dir / "compute/pools.json");
  auto roles = load_roles(site.dir.path());
  REQUIRE(roles.has_value());
  auto pools = load_role_pools(site.dir.path(), roles->roles);
  REQUIRE(pools.has_value());
  CHECK(pools->empty());
  MemoryAssignmentStore store;
  Selector selector(roles->roles, store, pools_allocate_fn(*pools));
  auto a = selector.select("n", machine("SN"), 0);
  REQUIRE(a.has_value());
  CHECK(a->assigned);
  CHECK(a->assignment.allocation.empty());
}
