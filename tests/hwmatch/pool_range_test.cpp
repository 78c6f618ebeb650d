// eDeploy-style generators: names, IPv4, IPv6, padding, ':'-joined ranges, and errors.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "hwmatch/pool_range.h"

using namespace ingot::hwmatch;

namespace {

std::vector<std::string> all(const std::string& pattern) {
  auto r = ValueRange::parse(pattern);
  REQUIRE_MESSAGE(r.has_value(), pattern);
  std::vector<std::string> out;
  for (std::uint64_t i = 0; i < r->size(); ++i) out.push_back(r->at(i));
  return out;
}

}  // namespace

TEST_CASE("numbered names keep zero padding and join ranges with ':'") {
  CHECK(all("host001-003") == std::vector<std::string>{"host001", "host002", "host003"});
  CHECK(all("host8-11") == std::vector<std::string>{"host8", "host9", "host10", "host11"});
  CHECK(all("node1-2:7-8.lab") == std::vector<std::string>{"node1.lab", "node2.lab", "node7.lab", "node8.lab"});
  CHECK(all("n3-1") == std::vector<std::string>{"n3", "n2", "n1"});  // descending, as eDeploy
  CHECK(all("rack-a-12b3-4") == std::vector<std::string>{"rack-a-12b3", "rack-a-12b4"});
  auto big = ValueRange::parse("host001-250");
  REQUIRE(big.has_value());
  CHECK(big->size() == 250);
  CHECK(big->at(249) == "host250");
  CHECK(big->at(98) == "host099");
}

TEST_CASE("IPv4 ranges per octet, last octet fastest") {
  CHECK(all("10.0.0.10-12") == std::vector<std::string>{"10.0.0.10", "10.0.0.11", "10.0.0.12"});
  CHECK(all("10.0.1-2.1-2") == std::vector<std::string>{"10.0.1.1", "10.0.1.2", "10.0.2.1", "10.0.2.2"});
  CHECK(all("10.0.0.1-2:9") == std::vector<std::string>{"10.0.0.1", "10.0.0.2", "10.0.0.9"});
  auto r = ValueRange::parse("10.0-255.0-255.0-255");
  REQUIRE(r.has_value());
  CHECK(r->size() == 256ULL * 256 * 256);
  CHECK(r->at(r->size() - 1) == "10.255.255.255");
}

TEST_CASE("IPv6 ranges: full end address or last group") {
  CHECK(all("fd00::fe-fd00::101") == std::vector<std::string>{"fd00::fe", "fd00::ff", "fd00::100", "fd00::101"});
  CHECK(all("fd00:1::10-12") == std::vector<std::string>{"fd00:1::10", "fd00:1::11", "fd00:1::12"});
  auto carry = ValueRange::parse("fd00::ffff:ffff-fd00::1:0:1");
  REQUIRE(carry.has_value());
  CHECK(carry->size() == 3);
  CHECK(carry->at(1) == "fd00::1:0:0");
}

TEST_CASE("a pattern without a range is a constant") {
  for (const char* c : {"10.0.0.1", "gateway", "fd00::1", "host-a", "v1.2"}) {
    auto r = ValueRange::parse(c);
    REQUIRE(r.has_value());
    CHECK(r->constant());
    CHECK(r->at(0) == c);
  }
}

TEST_CASE("bad patterns are clear errors") {
  auto msg = [](const std::string& p) {
    auto r = ValueRange::parse(p);
    REQUIRE_MESSAGE(!r.has_value(), p);
    return r.error().message();
  };
  CHECK(msg("10.0.0.250-256").find("larger than 255") != std::string::npos);
  CHECK(msg("10.0.0.1-2-3").find("not a range") != std::string::npos);
  CHECK(msg("host1-5:3-9").find("overlap") != std::string::npos);
  CHECK(msg("fd00::ff-fd00::1").find("ends before") != std::string::npos);
  CHECK(msg("fd00::1-xyz").find("neither") != std::string::npos);
  CHECK(msg("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").find("more than") != std::string::npos);
  CHECK(msg("h0-9999999999").find("more than") != std::string::npos);
  CHECK(msg("") == "pool pattern is empty");
  CHECK(msg(std::string(kMaxPoolPattern + 1, 'a')).find("longer than") != std::string::npos);
}
