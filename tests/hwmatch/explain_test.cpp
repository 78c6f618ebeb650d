// Explain: the nearest miss names the spec line, the facts it was checked against, and why.
#include <doctest/doctest.h>

#include "hwmatch/explain.h"
#include "spec_test_util.h"

using namespace ingot::hwmatch;
using namespace ingot::hwmatch::test;

namespace {
std::string why(const std::string& spec_text, const Facts& facts = server_facts()) {
  Spec s = spec_of(spec_text, "roles/r/hardware.spec");
  FactIndex idx(facts);
  Matcher m;
  auto miss = explain(s, idx, m);
  if (!miss) FAIL("spec matched");
  return miss->to_string();
}
}  // namespace

TEST_CASE("a size test reports the largest candidate") {
  CHECK(why("disk $d size gt(5000)\n") ==
        "roles/r/hardware.spec:1:1: disk $d size gt(5000): largest disk size is 4000 (sdc)");
  CHECK(why("memory total size lt(1000)\n") ==
        "roles/r/hardware.spec:1:1: memory total size lt(1000): smallest memory total size is 137438953472");
}

TEST_CASE("the deepest line reached is the one explained, with its bindings") {
  Facts f = server_facts();
  f.push_back({"network", "eth1", "speed", "10000"});
  CHECK(why("system product vendor 'Dell Inc.'\nnetwork $eth ipv4 network(172.17.0.0/16)\nnetwork $eth speed gt(1000)\n", f) ==
        "roles/r/hardware.spec:3:1: network $eth speed gt(1000): $eth is 'eth0' (bound by line 2) but it has no "
        "matching speed; network speed exists for eth1");
  CHECK(why("system product vendor 'Dell Inc.'\nnetwork $eth speed gt(1000)\n") ==
        "roles/r/hardware.spec:2:1: network $eth speed gt(1000): no network fact has key 'speed'");
}

TEST_CASE("missing class, missing key, wrong literal, taken facts") {
  CHECK(why("gpu $g model $m\n") == "roles/r/hardware.spec:1:1: gpu $g model $m: no fact has class 'gpu'");
  CHECK(why("disk $d vendor $v\n") == "roles/r/hardware.spec:1:1: disk $d vendor $v: no disk fact has key 'vendor'");
  CHECK(why("system product vendor HPE\n") ==
        "roles/r/hardware.spec:1:1: system product vendor HPE: found Dell Inc.");
  CHECK(why("\n# two small disks wanted, three asked\ndisk $a size 240\ndisk $b size 240\ndisk $c size 240\n") ==
        "roles/r/hardware.spec:5:1: disk $c size 240: every fact that fits is already used by an earlier line: "
        "sda size=240 (line 3) sdb size=240 (line 4)");
  CHECK(why("network $e serial $mac\nsystem product serial $mac\n") ==
        "roles/r/hardware.spec:2:1: system product serial $mac: $mac is '52:54:00:aa:00:01' (bound by line 1); "
        "found 9K9PW02");
}

TEST_CASE("a matching spec has nothing to explain") {
  Spec s = spec_of("disk $d size gt(1)\n");
  Facts f = server_facts();
  FactIndex idx(f);
  Matcher m;
  CHECK_FALSE(explain(s, idx, m).has_value());
}
