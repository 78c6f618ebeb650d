// Matching: variables agree, facts are consumed, the search backtracks, $$ exports, and a
// pathological spec is cut off as too complex.
#include <doctest/doctest.h>

#include <chrono>
#include <initializer_list>
#include <string>
#include <utility>

#include "hwmatch/explain.h"
#include "spec_test_util.h"

using namespace ingot::hwmatch;
using namespace ingot::hwmatch::test;

namespace {

// `spec` matches `facts` and binds each variable to the value given.
void check_binds(const std::string& spec, std::initializer_list<std::pair<const char*, const char*>> expected,
                 const Facts& facts = server_facts()) {
  CAPTURE(spec);
  auto r = match(spec_of(spec), facts);
  REQUIRE(r.matched);
  for (const auto& [name, value] : expected) {
    CAPTURE(name);
    CHECK(binding(r, name) == value);
  }
}

}  // namespace

TEST_CASE("a variable binds once and must agree where it recurs") {
  check_binds(
      "network $eth ipv4 network(10.66.6.0/24)\n"
      "network $eth serial $mac\n"
      "network $eth link yes\n",
      {{"eth", "eth1"}, {"mac", "52:54:00:aa:00:02"}});
}

TEST_CASE("a fact matched by one line is consumed: $d1 and $d2 are different disks") {
  check_binds("disk $d1 size ge(200)\ndisk $d2 size ge(200)\n", {{"d1", "sda"}, {"d2", "sdb"}});
  Spec five = spec_of(
      "disk $d1 size ge(200)\ndisk $d2 size ge(200)\ndisk $d3 size ge(200)\ndisk $d4 size ge(200)\ndisk $d5 size ge(200)\n");
  CHECK_FALSE(match(five, server_facts()).matched);
  // The same literal line twice needs two equal facts.
  Spec twice = spec_of("cpu physical number 2\ncpu physical number 2\n");
  CHECK_FALSE(match(twice, server_facts()).matched);
}

TEST_CASE("backtracking: an early binding that dooms a later line is undone") {
  // eDeploy's guide calls this order "the wrong way": eth0 has link first, so $eth-pub1 binds
  // eth0 and the ipv4 line fails. The search retries with eth1 and matches.
  check_binds(
      "network $eth-pub1 link yes\n"
      "network $eth-pub1 ipv4 network(10.66.6.0/24)\n"
      "network $eth-pub1 serial $mac-pub1\n"
      "network $eth-pub2 link yes\n"
      "network $eth-pub2 ipv4 network(172.17.0.0/16)\n"
      "network $eth-pub2 serial $mac-pub2\n",
      {{"eth-pub1", "eth1"},
       {"mac-pub1", "52:54:00:aa:00:02"},
       {"eth-pub2", "eth0"},
       {"mac-pub2", "52:54:00:aa:00:01"}});

  // Disks: the first SSD-sized line could take sdc (4000), leaving no big disk for $data.
  check_binds("disk $os size ge(200)\ndisk $os rotational 0\ndisk $data size ge(4000)\ndisk $data2 size ge(4000)\n",
              {{"os", "sda"}, {"data", "sdc"}, {"data2", "sdd"}});
}

TEST_CASE("$$var exports; $var does not") {
  Spec s = spec_of("system product serial $$tag\nnetwork $eth serial $mac\n");
  auto r = match(s, server_facts());
  REQUIRE(r.matched);
  REQUIRE(r.bindings.size() == 3);
  CHECK(r.bindings[0].name == "tag");
  CHECK(r.bindings[0].value == "9K9PW02");
  CHECK(r.bindings[0].exported);
  CHECK_FALSE(r.bindings[1].exported);
  CHECK_FALSE(r.bindings[2].exported);
}

TEST_CASE("$var=test tests and binds, and the test holds on every recurrence") {
  check_binds("disk $d size $size=gt(1000)\ndisk $d rotational 1\n", {{"size", "4000"}, {"d", "sdc"}});
  // A name can be tested and bound too.
  check_binds("network $nic=regexp(^eth1$) serial $$mac\n", {{"nic", "eth1"}});
  // The second occurrence's test applies to the bound value.
  Spec both = spec_of("disk $d size $s=gt(100)\ndisk $e size $s=lt(100)\n");
  CHECK_FALSE(match(both, server_facts()).matched);
}

TEST_CASE("variables and tests work in the class and key positions too") {
  check_binds("$c sdc $k 4000\nregexp(^net) $n in(ipv6) network(fd00:17::/32)\n",
              {{"c", "disk"}, {"k", "size"}, {"n", "eth0"}});
}

TEST_CASE("an empty spec matches anything; a missing class matches nothing") {
  CHECK(match(spec_of("# nothing\n"), server_facts()).matched);
  CHECK_FALSE(match(spec_of("gpu $g model $m\n"), server_facts()).matched);
  CHECK_FALSE(match(spec_of("disk $d size gt(1)\n"), Facts{}).matched);
}

TEST_CASE("a spec that explodes combinatorially fails as too complex, quickly") {
  Facts f;
  for (int i = 0; i < 12; ++i) f.push_back({"disk", "sd" + std::string(1, char('a' + i)), "size", "100"});
  std::string text;
  for (int i = 0; i < 12; ++i) text += "disk $d" + std::to_string(i) + " size gt(1)\n";
  text += "disk $d0 size 999\n";  // never true: every ordering of 12 disks is tried
  Spec s = spec_of(text);
  auto start = std::chrono::steady_clock::now();
  auto r = match(s, f);
  auto took = std::chrono::steady_clock::now() - start;
  CHECK_FALSE(r.matched);
  CHECK(r.too_complex);
  CHECK(r.steps == kMaxMatchSteps + 1);
  CHECK(took < std::chrono::seconds(5));
  FactIndex idx(f);
  Matcher m;
  auto miss = explain(s, idx, m);
  REQUIRE(miss);
  CHECK(miss->too_complex);
  CHECK(miss->reason.find("too complex: gave up after 1000000 steps") == 0);
}

TEST_CASE("eDeploy guide: vm-debian spec binds disk, interface and MAC") {
  // ('disk','$disk','size','gt(4)'), ('network','$eth','ipv4','network(192.168.122.0/24)'),
  // ('network','$eth','serial','$mac'): "a hard drive bigger than 4GB, one interface on
  // 192.168.122.0/24, a MAC address".
  const std::string spec =
      "disk $disk size gt(4)\nnetwork $eth ipv4 network(192.168.122.0/24)\nnetwork $eth serial $mac\n";
  Facts vm = {{"disk", "vda", "size", "20"},
              {"network", "eth0", "serial", "52:54:12:34:00:01"},
              {"network", "eth0", "ipv4", "10.0.2.15"},
              {"network", "eth1", "serial", "52:54:12:34:00:02"},
              {"network", "eth1", "ipv4", "192.168.122.7"}};
  check_binds(spec, {{"disk", "vda"}, {"eth", "eth1"}, {"mac", "52:54:12:34:00:02"}}, vm);
  vm[0].value = "4";  // not bigger than 4
  CHECK_FALSE(match(spec_of(spec), vm).matched);
}
