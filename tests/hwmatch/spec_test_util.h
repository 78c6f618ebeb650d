// Helpers shared by the hwmatch spec/match/select tests: build facts and specs inline.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "hwmatch/facts.h"
#include "hwmatch/matcher.h"
#include "hwmatch/spec_parser.h"

namespace ingot::hwmatch::test {

inline Spec spec_of(const std::string& text, const std::string& file = "t.spec") {
  auto s = parse_spec(text, file);
  if (!s) FAIL("spec did not parse: " << s.error().message());
  return std::move(*s);
}

// The error message of a spec that must not parse.
inline std::string spec_error(const std::string& text) {
  auto s = parse_spec(text, "t.spec");
  if (s) FAIL("spec parsed but should not: " << text);
  return s.error().message();
}

inline std::string binding(const MatchResult& r, const std::string& name) {
  for (const auto& b : r.bindings)
    if (b.name == name) return b.value;
  return "<unbound>";
}

// A small two-socket server: 2 SSDs, 2 HDDs, 2 NICs, 128 GiB.
inline Facts server_facts() {
  return {
      {"system", "product", "vendor", "Dell Inc."},
      {"system", "product", "name", "PowerEdge R640"},
      {"system", "product", "serial", "9K9PW02"},
      {"cpu", "physical", "number", "2"},
      {"cpu", "physical_0", "product", "Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz"},
      {"memory", "total", "size", "137438953472"},
      {"disk", "sda", "size", "240"},
      {"disk", "sda", "rotational", "0"},
      {"disk", "sdb", "size", "240"},
      {"disk", "sdb", "rotational", "0"},
      {"disk", "sdc", "size", "4000"},
      {"disk", "sdc", "rotational", "1"},
      {"disk", "sdd", "size", "4000"},
      {"disk", "sdd", "rotational", "1"},
      {"network", "eth0", "serial", "52:54:00:aa:00:01"},
      {"network", "eth0", "ipv4", "172.17.1.1"},
      {"network", "eth0", "ipv6", "fd00:17::1"},
      {"network", "eth0", "link", "yes"},
      {"network", "eth1", "serial", "52:54:00:aa:00:02"},
      {"network", "eth1", "ipv4", "10.66.6.1"},
      {"network", "eth1", "link", "yes"},
  };
}

}  // namespace ingot::hwmatch::test
