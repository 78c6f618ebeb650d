#include <doctest/doctest.h>

#include <filesystem>

#include "pxe/dhcp_lease_file.h"
#include "pxe/dhcp_lease_table.h"
#include "pxe/dhcp_reservations.h"
#include "tests/support/test_support.h"

using namespace ingot::pxe;

namespace {
MacAddress mac(int n) { return *MacAddress::parse("52:54:00:00:00:0" + std::to_string(n)); }
Ipv4 ip(const char* s) { return *parse_ipv4(s); }

AddressPlan small_plan() {
  AddressPlan p;
  p.first = ip("198.18.0.10");
  p.last = ip("198.18.0.12");
  p.netmask = ip("255.255.255.0");
  p.reservations[mac(9)] = ip("198.18.0.50");
  return p;
}
}  // namespace

TEST_CASE("lease table: first free, sticky per MAC, reservations, exhaustion") {
  LeaseTable t(small_plan());
  CHECK(t.offer(mac(1), std::nullopt, 1000, 60) == ip("198.18.0.10"));
  CHECK(t.offer(mac(1), std::nullopt, 1000, 60) == ip("198.18.0.10"));  // same offer again
  CHECK(t.offer(mac(2), ip("198.18.0.12"), 1000, 60) == ip("198.18.0.12"));  // honours a free request
  CHECK(t.offer(mac(3), ip("198.18.0.10"), 1000, 60) == ip("198.18.0.11"));  // not someone else's
  CHECK_FALSE(t.offer(mac(4), std::nullopt, 1000, 60));                     // full
  CHECK(t.offer(mac(9), std::nullopt, 1000, 60) == ip("198.18.0.50"));       // reservation outside the range
  CHECK_FALSE(t.can_bind(mac(9), ip("198.18.0.11"), 1000));                  // reserved MAC gets only its address
  CHECK_FALSE(t.can_bind(mac(1), ip("198.18.0.50"), 1000));                  // nobody else gets a reserved one
  // Offers lapse: after the hold, mac 4 gets the address whose offer ended first.
  CHECK(t.offer(mac(4), std::nullopt, 1061, 60).has_value());
}

TEST_CASE("lease table: bind, release keeps the MAC's claim, decline quarantines") {
  LeaseTable t(small_plan());
  auto a = *t.offer(mac(1), std::nullopt, 1000, 60);
  CHECK_FALSE(t.dirty());  // offers are not persisted
  REQUIRE(t.can_bind(mac(1), a, 1000));
  t.bind(mac(1), a, 1000, 3600);
  CHECK(t.dirty());
  CHECK_FALSE(t.can_bind(mac(2), a, 2000));  // bound to mac 1
  t.release(mac(1), a, 2000);
  CHECK(t.find(mac(1))->expires == 2000);
  CHECK(t.offer(mac(1), std::nullopt, 2001, 60) == a);  // came back: same address

  auto b = *t.offer(mac(2), std::nullopt, 3000, 60);
  t.decline(mac(2), b, 3000, 600);
  CHECK(t.offer(mac(2), std::nullopt, 3000, 60) != b);
  CHECK_FALSE(t.can_bind(mac(3), b, 3100));
  CHECK(t.can_bind(mac(3), b, 3601));  // quarantine over
}

TEST_CASE("lease table: expired binding of another MAC gives way only when nothing else is free") {
  AddressPlan p = small_plan();
  p.last = p.first;  // one address
  LeaseTable t(p);
  t.bind(mac(1), p.first, 0, 100);
  CHECK_FALSE(t.offer(mac(2), std::nullopt, 50, 60));
  CHECK(t.offer(mac(2), std::nullopt, 101, 60) == p.first);
  CHECK(t.find(mac(1)) == nullptr);
}

TEST_CASE("lease file: save, load into a new table (restart), same MAC same address") {
  ingot::test::TempDir dir;
  auto file = dir / "leases.json";
  LeaseTable t(small_plan());
  auto a = *t.offer(mac(3), std::nullopt, 1000, 60);
  t.bind(mac(3), a, 1000, 3600);
  auto b = *t.offer(mac(4), std::nullopt, 1000, 60);
  t.bind(mac(4), b, 1000, 3600);
  REQUIRE(save_leases(file, t.bound_leases()).has_value());
  CHECK_FALSE(std::filesystem::exists(dir / "leases.json.tmp"));

  auto loaded = load_leases(file);
  REQUIRE(loaded.has_value());
  CHECK(loaded->size() == 2);
  LeaseTable after(small_plan());
  after.load(*loaded);
  CHECK(after.offer(mac(4), std::nullopt, 5000, 60) == b);  // even after expiry
  CHECK(after.offer(mac(3), std::nullopt, 5000, 60) == a);
}

TEST_CASE("lease file: missing is empty, corrupt is a clear error, out-of-plan entries skipped") {
  ingot::test::TempDir dir;
  auto none = load_leases(dir / "nope.json");
  REQUIRE(none.has_value());
  CHECK(none->empty());
  for (const char* bad : {"{", "[]", "{\"version\":2,\"leases\":[]}", "{\"version\":1}",
                          "{\"version\":1,\"leases\":[{\"mac\":\"zz\",\"ip\":\"1.2.3.4\",\"expires\":1}]}",
                          "{\"version\":1,\"leases\":[{\"mac\":\"52:54:00:00:00:01\",\"ip\":\"1.2.3.4\"}]}"}) {
    CAPTURE(bad);
    ingot::test::write_file(dir / "bad.json", bad);
    auto r = load_leases(dir / "bad.json");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message().find("bad.json") != std::string::npos);
  }
  LeaseTable t(small_plan());
  t.load({Lease{mac(1), ip("10.0.0.1"), 99, true}, Lease{mac(2), ip("198.18.0.50"), 99, true}});
  CHECK(t.find(mac(1)) == nullptr);  // outside the range now
  CHECK(t.find(mac(2)) == nullptr);  // reserved for another MAC
}

TEST_CASE("reservations file: MAC ADDRESS lines, comments, clear errors") {
  auto r = parse_reservations("# rack 1\n52:54:00:00:00:01 198.18.0.5  # node 1\n\n52-54-00-00-00-02 198.18.0.6\n",
                              "res.txt");
  REQUIRE(r.has_value());
  CHECK(r->size() == 2);
  CHECK(r->at(mac(2)) == ip("198.18.0.6"));
  auto err = [](const char* text) { return parse_reservations(text, "res.txt").error().message(); };
  CHECK(err("52:54:00:00:00:01\n") == "res.txt:1: expected 'MAC ADDRESS'");
  CHECK(err("\nxx 198.18.0.5\n").find("res.txt:2: 'xx' is not a MAC") == 0);
  CHECK(err("52:54:00:00:00:01 198.18.0.300\n").find("not an IPv4") != std::string::npos);
  CHECK(err("52:54:00:00:00:01 198.18.0.5\n52:54:00:00:00:02 198.18.0.5\n").find("two MACs") != std::string::npos);
  CHECK(err("52:54:00:00:00:01 198.18.0.5\n52:54:00:00:00:01 198.18.0.6\n").find("twice") != std::string::npos);
}
