// Fuzz target: the spec language's two front ends (ingot spec files and eDeploy Python-literal
// .specs/.cmdb/state) and, when a spec parses, matching and explaining it against a fixed
// machine, so the compiled tests (regexes, networks, nesting) run too.
#include <cstdint>
#include <string_view>

#include "hwmatch/edeploy_import.h"
#include "hwmatch/explain.h"
#include "hwmatch/spec_parser.h"

using namespace ingot::hwmatch;

namespace {
const Facts& machine() {
  static const Facts f = {{"system", "product", "vendor", "Dell Inc."}, {"disk", "sda", "size", "480"},
                          {"disk", "sda", "rotational", "0"},        {"disk", "sdb", "size", "4000"},
                          {"network", "eth0", "ipv4", "10.0.0.5"},   {"network", "eth0", "ipv6", "fd00::5"},
                          {"network", "eth0", "serial", "52:54:00:00:00:01"}, {"memory", "total", "size", "68719476736"}};
  return f;
}

void exercise(const Spec& s) {
  FactIndex idx(machine());
  Matcher m;
  (void)m.match(s, idx);
  (void)explain(s, idx, m);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto s = parse_spec(text, "fuzz.spec")) exercise(*s);
  if (auto s = parse_edeploy_specs(text, "fuzz.specs")) exercise(*s);
  (void)parse_edeploy_cmdb(text, "fuzz.cmdb");
  (void)parse_edeploy_state(text, "fuzz.state");
  return 0;
}
