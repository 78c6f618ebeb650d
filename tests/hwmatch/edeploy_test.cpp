// eDeploy import: the safe Python-literal reader, .specs/.cmdb/state, and the results the eDeploy
// user guide documents for its examples.
#include <doctest/doctest.h>

#include "hwmatch/edeploy_cmdb.h"
#include "hwmatch/edeploy_import.h"
#include "hwmatch/role_loader.h"
#include "hwmatch/selector.h"
#include "spec_test_util.h"
#include "tests/support/test_support.h"

using namespace ingot;
using namespace ingot::hwmatch;
using namespace ingot::hwmatch::test;

namespace {
PyValue py(const std::string& text, PyParseOptions o = {}) {
  auto v = parse_python_literal(text, "f.py", o);
  if (!v) FAIL("did not parse: " << v.error().message());
  return std::move(*v);
}
std::string py_error(const std::string& text) {
  auto v = parse_python_literal(text, "f.py");
  if (v) FAIL("parsed but should not: " << text);
  return v.error().message();
}
std::string example_dir() { return ingot::test::env_or("INGOT_SOURCE_DIR", ".") + "/tests/hwmatch/edeploy_example"; }
}  // namespace

TEST_CASE("python literals: strings, escapes, prefixes, numbers, containers") {
  CHECK(py("'single'").text == "single");
  CHECK(py("\"double\"").text == "double");
  CHECK(py(R"('it\'s \"q\" \\ \n\t\x41\u00e9\101')").text == "it's \"q\" \\ \n\tA\xc3\xa9" "A");
  CHECK(py(R"('\d+\.\w')").text == R"(\d+\.\w)");  // unknown escapes stay, as in Python
  CHECK(py(R"(r'\n\'')").text == R"(\n\')");
  CHECK(py("u'x'").text == "x");
  CHECK(py("'a' \"b\"\n 'c'").text == "abc");
  CHECK(py("-42").integer == -42);
  CHECK(py("1_000").integer == 1000);
  CHECK(py("True").boolean);
  CHECK(py("None").kind == PyValue::Kind::none);
  PyValue t = py("(1)");
  CHECK(t.kind == PyValue::Kind::integer);
  CHECK(py("(1,)").kind == PyValue::Kind::tuple);
  CHECK(py("()").items.empty());
  PyValue l = py("# comment\n[ ('a', 1), {'k': 'v', 'n': 2,}, [], ]  # trailing\n");
  REQUIRE(l.kind == PyValue::Kind::list);
  REQUIRE(l.items.size() == 3);
  CHECK(l.items[0].items[1].integer == 1);
  CHECK(l.items[1].dict[1].key.text == "n");
  CHECK(l.items[1].line == 2);
  CHECK(l.items[1].column == 13);
  PyValue call = py("generate({'ip': '10.0.0.1-9'})", PyParseOptions{{"generate"}});
  CHECK(call.kind == PyValue::Kind::call);
  CHECK(call.text == "generate");
  CHECK(call.items.at(0).kind == PyValue::Kind::dict);
}

TEST_CASE("python literals: anything that is not data is refused with line:col") {
  CHECK(py_error("__import__('os').system('reboot')") == "f.py:1:1: '__import__' is not a literal; eDeploy files are read as data, never run");
  CHECK(py_error("[\n  os.system('x')]") == "f.py:2:3: 'os' is not a literal; eDeploy files are read as data, never run");
  CHECK(py_error("generate({})") == "f.py:1:1: 'generate' is not a literal; eDeploy files are read as data, never run");
  CHECK(py_error("[1.5]") == "f.py:1:3: only decimal integers are supported; write other numbers as strings");
  CHECK(py_error("0x10") == "f.py:1:2: only decimal integers are supported; write other numbers as strings");
  CHECK(py_error("99999999999999999999") == "f.py:1:1: integer out of range; write it as a string");
  CHECK(py_error("{'a', 'b'}") == "f.py:1:5: expected ':' after a dict key (sets are not supported)");
  CHECK(py_error("['abc") == "f.py:1:2: unterminated string; close it with ' on the same line");
  CHECK(py_error("[('a', 'b'),\n ('c'") == "f.py:2:2: unclosed '('; add ')'");
  CHECK(py_error("[1, 2") == "f.py:1:1: unclosed '['; add ']'");
  CHECK(py_error("{'a': 1") == "f.py:1:1: unclosed '{'; add '}'");
  CHECK(py_error("[1 2]") == "f.py:1:4: expected ',' or ']' but found '2'");
  CHECK(py_error("[1] x") == "f.py:1:5: unexpected 'x' after the value");
  CHECK(py_error("'''doc'''") == "f.py:1:1: triple-quoted strings are not supported; use one string per line");
  CHECK(py_error("'\\x4'") == "f.py:1:4: bad \\x escape; it takes 2 hex digits");
  CHECK(py_error("") == "f.py:1:1: unexpected end of file; a value is missing");
  CHECK(py_error("[1 + 2]") == "f.py:1:4: expected ',' or ']' but found '+'");
  CHECK(py_error("lambda: 0") == "f.py:1:1: 'lambda' is not a literal; eDeploy files are read as data, never run");
  CHECK(py_error(std::string(200, '[')).find("nested deeper than 64 levels") != std::string::npos);
}

TEST_CASE("state: order and counts as the guide writes them") {
  auto s = parse_edeploy_state("[('hp', '4'), ('vm-centos', '*'), ('vm-debian', 3), ('kvm-test', '0')]", "state");
  REQUIRE(s);
  REQUIRE(s->size() == 4);
  CHECK((*s)[0].name == "hp");
  CHECK(*(*s)[0].count == 4);
  CHECK_FALSE((*s)[1].count.has_value());
  CHECK(*(*s)[2].count == 3);
  CHECK(*(*s)[3].count == 0);
  CHECK(parse_edeploy_state("[('hp', 'many')]", "state").error().message() ==
        "state:1:9: count 'many' must be '*' (no limit) or a number from 0 to 1000000");
  CHECK(parse_edeploy_state("[('hp', -1)]", "state").error().message() == "state:1:9: count must be from 0 to 1000000 or '*'");
  CHECK(parse_edeploy_state("[('hp',)]", "state").error().message() == "state:1:2: expected a (profile, count) tuple, found a tuple");
  CHECK(parse_edeploy_state("[('../etc', 1)]", "state").error().message() ==
        "state:1:3: profile name '../etc' may use only letters, digits, '_', '-', '.'");
  CHECK(parse_edeploy_state("[('a', 1), ('a', 2)]", "state").error().message() == "state:1:13: profile 'a' is already listed");
}

TEST_CASE("specs: eDeploy field rules") {
  auto s = parse_edeploy_specs(
      "[('system', 'product', 'name', 'edeploy_test_vm ()'),\n"
      " ('cpu', 'physical_0', 'product', 'Intel(R) Xeon(R)'),\n"
      " ('disk', '$disk', 'size', '$size=gt(10)'),\n"
      " ('network', '$$eth', 'ipv4', 'network(10.0.2.0/24)'),\n"
      " ('disk', '$disk', 'model', 'regexp(^(QEMU|ATA))'),\n"
      " ('disk', '$disk', 'slot', 'in(\"1\", \"2\")')]",
      "x.specs");
  REQUIRE(s);
  REQUIRE(s->lines.size() == 6);
  CHECK(s->lines[0].fields[3].is_literal);  // not a known function: compared literally
  CHECK(s->lines[1].fields[3].literal == "Intel(R) Xeon(R)");
  CHECK(s->lines[2].fields[3].test.has_value());
  CHECK(s->lines[3].line == 4);
  CHECK(s->exported[2]);
  Facts f = {{"system", "product", "name", "edeploy_test_vm ()"},
             {"cpu", "physical_0", "product", "Intel(R) Xeon(R)"},
             {"disk", "vda", "size", "20"},
             {"disk", "vda", "model", "QEMU HARDDISK"},
             {"disk", "vda", "slot", "2"},
             {"network", "eth0", "ipv4", "10.0.2.15"}};
  auto r = match(*s, f);
  REQUIRE(r.matched);
  CHECK(binding(r, "size") == "20");
  CHECK(binding(r, "eth") == "eth0");
}

TEST_CASE("specs: errors point into the .specs file") {
  auto e = [](const std::string& t) { return parse_edeploy_specs(t, "x.specs").error().message(); };
  CHECK(e("[('disk', '$d', 'size')]") == "x.specs:1:2: expected 4 items (class, name, key, value), got 3");
  CHECK(e("[('disk', '$d', 'size', 4)]") == "x.specs:1:25: expected a string, found an integer");
  CHECK(e("{'a': 1}") == "x.specs:1:1: expected a list of (class, name, key, value) tuples, found a dict");
  CHECK(e("[\n ('disk', '$d', 'size', 'gt(4G)')]") ==
        "x.specs:2:29: gt: '4G' is not a number; write the value in the fact's unit, e.g. gt(100)");
  CHECK(e("[('n', '$e', 'ipv4', 'network(10.0.0.0/40)')]").rfind(
            "x.specs:1:31: network: prefix length '40' must be a number from 0 to 32", 0) == 0);
  CHECK(e("[('n', '$e', 'ipv4', 'regexp([)')]").rfind("x.specs:1:30: regexp: invalid regular expression '['", 0) == 0);
  CHECK(e("[('n', '$', 'ipv4', 'x')]").rfind("x.specs:1:10: '$' must be followed by a variable name", 0) == 0);
}

TEST_CASE("cmdb: list of dicts, or the synthetic generate() form expanded as the guide describes") {
  auto c = parse_edeploy_cmdb("[{'ip': '10.0.0.1', 'used': 1}, {'ip': '10.0.0.2'}]", "r.cmdb");
  REQUIRE(c);
  CHECK((*c)[0].at("used") == "1");
  CHECK(parse_edeploy_cmdb("[{'ip': ['x']}]", "r.cmdb").error().message() ==
        "r.cmdb:1:9: expected a string or an integer, found a list");
  // 'ip': '10.0.2.3-253' makes 250 hosts; 'hostname': 'host001-250' names them; constants repeat.
  auto g = parse_edeploy_cmdb("generate({'gateway': '10.0.2.2', 'ip': '10.0.2.3-253', 'hostname': 'host001-250'})", "g.cmdb");
  REQUIRE_MESSAGE(g, (g ? "" : g.error().message()));
  REQUIRE(g->size() == 250);
  CHECK((*g)[0] == Allocation{{"gateway", "10.0.2.2"}, {"hostname", "host001"}, {"ip", "10.0.2.3"}});
  CHECK((*g)[249].at("hostname") == "host250");
  CHECK((*g)[249].at("ip") == "10.0.2.252");
  // "'10.0.2.1-3:5-5:7-9' will avoid ip ending by .4 and .6"; "1-5:20-15 ... keep them in this order"
  auto skip = parse_edeploy_cmdb("generate({'ip': '10.0.2.1-3:5-5:7-9'})", "g.cmdb");
  REQUIRE(skip);
  std::vector<std::string> ips;
  for (const auto& e : *skip) ips.push_back(e.at("ip"));
  CHECK(ips == std::vector<std::string>{"10.0.2.1", "10.0.2.2", "10.0.2.3", "10.0.2.5", "10.0.2.7", "10.0.2.8", "10.0.2.9"});
  auto down = parse_edeploy_cmdb("generate({'ip': '10.0.2.1-5:20-15'})", "g.cmdb");
  REQUIRE(down);
  REQUIRE(down->size() == 11);
  CHECK((*down)[5].at("ip") == "10.0.2.20");
  CHECK((*down)[10].at("ip") == "10.0.2.15");
  // Tuples are pre-defined lists, zipped with the ranges; the shortest decides the count.
  auto t = parse_edeploy_cmdb("generate({'hostname': 'os-ci-test1-12', 'mac': ('00:22:19:57:74:a6', '00:22:19:57:86:d2')})", "g.cmdb");
  REQUIRE(t);
  REQUIRE(t->size() == 2);
  CHECK((*t)[1] == Allocation{{"hostname", "os-ci-test2"}, {"mac", "00:22:19:57:86:d2"}});
  auto one = parse_edeploy_cmdb("generate({'gateway': '10.0.2.2'})", "g.cmdb");
  REQUIRE(one);
  CHECK(one->size() == 1);
  CHECK(parse_edeploy_cmdb("generate({'ip': '10.0-3.0-255.0-255', 'h': 'h0-99999999'})", "g.cmdb").error().message() ==
        "g.cmdb:1:1: generate() makes 262144 entries, more than the limit of 100000; narrow the ranges" );
  CHECK(parse_edeploy_cmdb("generate('x')", "g.cmdb").error().message() == "g.cmdb:1:1: generate() takes one dict of key: pattern");
}

TEST_CASE("guide: with $$tag only the tag picks the CMDB entry") {
  // [('system','product','serial','$$tag'), ('network','$eth','serial','$mac')] with a CMDB
  // of tags TAG1..TAG3: the system whose serial is TAG1 gets host1's values.
  Role r{"tagged", std::nullopt, *parse_edeploy_specs("[('system', 'product', 'serial', '$$tag'), ('network', '$eth', 'serial', '$mac')]", "t.specs"), {}, true};
  r.cmdb = {{{"tag", "TAG1"}, {"ip", "192.168.122.3"}, {"hostname", "host1"}},
            {{"tag", "TAG2"}, {"ip", "192.168.122.4"}, {"hostname", "host2"}},
            {{"tag", "TAG3"}, {"ip", "192.168.122.5"}, {"hostname", "host3"}}};
  std::vector<Role> roles = {r};
  MemoryAssignmentStore store;
  Selector sel(roles, store, cmdb_allocate);
  Facts second = {{"system", "product", "serial", "TAG2"}, {"network", "eth0", "serial", "52:54:00:00:00:02"}};
  Facts first = {{"system", "product", "serial", "TAG1"}, {"network", "eth0", "serial", "52:54:00:00:00:01"}};
  auto d2 = sel.select("n2", second, 0);  // arrives first, still gets TAG2's entry
  REQUIRE(d2->assigned);
  CHECK(d2->assignment.allocation.at("hostname") == "host2");
  CHECK(d2->assignment.allocation.at("mac") == "52:54:00:00:00:02");
  auto d1 = sel.select("n1", first, 0);
  CHECK(d1->assignment.allocation.at("hostname") == "host1");
  Facts unknown = {{"system", "product", "serial", "TAG9"}, {"network", "eth0", "serial", "52:54:00:00:00:09"}};
  auto d9 = sel.select("n9", unknown, 0);
  REQUIRE(d9);
  CHECK_FALSE(d9->assigned);
  CHECK(d9->outcomes[0].kind == RoleOutcome::Kind::no_allocation);
  CHECK(d9->outcomes[0].detail == "no CMDB entry has tag=TAG9");
}

TEST_CASE("guide example directory: order, counts, used entries stay with their host") {
  auto loaded = load_roles(example_dir());
  REQUIRE_MESSAGE(loaded, (loaded ? "" : loaded.error().message()));
  CHECK(loaded->source == RoleSource::edeploy);
  REQUIRE(loaded->roles.size() == 4);
  CHECK(loaded->roles[0].name == "hp");
  CHECK(*loaded->roles[0].count == 4);
  CHECK(*loaded->roles[3].count == 0);  // "Role with 0 will not be deployed"
  MemoryAssignmentStore store;
  Selector sel(loaded->roles, store, cmdb_allocate);
  Facts vm = {{"system", "product", "vendor", "kvm"}, {"system", "product", "name", "edeploy_test_vm ()"},
              {"disk", "vda", "size", "20"}, {"network", "eth0", "serial", "52:54:12:34:00:07"},
              {"network", "eth0", "ipv4", "10.0.2.16"}, {"network", "eth0", "link", "yes"}};
  auto fresh = sel.select("vm7", vm, 0);
  REQUIRE(fresh->assigned);
  CHECK(fresh->assignment.role == "vm-centos");
  CHECK(fresh->assignment.allocation.at("hostname") == "host002");  // host001 is used by ...:01
  vm[3].value = "52:54:12:34:00:01";
  auto owner = sel.select("vm1", vm, 0);
  CHECK(owner->assignment.allocation.at("hostname") == "host001");
  // "if a server hardware matches 'hp' and 'vm', only the 'hp' role will be applied"
  Facts both = vm;
  both.push_back({"system", "product", "vendor", "HP"});
  both.push_back({"disk", "sda", "size", "100"});
  both.push_back({"disk", "sdb", "size", "1000"});
  CHECK(sel.select("hpvm", both, 0)->assignment.role == "hp");
  // kvm-test (count 0) would match anything with a disk, but is never chosen.
  Facts plain = {{"disk", "sda", "size", "50"}};
  auto none = sel.select("plain", plain, 0);
  REQUIRE(none);
  CHECK_FALSE(none->assigned);
  CHECK(none->outcomes.back().kind == RoleOutcome::Kind::disabled);
}

TEST_CASE("a profile in state without its .specs is an error naming both") {
  ingot::test::TempDir d;
  ingot::test::write_file(d / "state", "[('a', 1),\n ('b', '*')]\n");
  ingot::test::write_file(d / "a.specs", "[]\n");
  auto r = load_roles(d.path());
  REQUIRE_FALSE(r);
  CHECK(r.error().message() == (d / "state").string() + ":2:1: profile 'b' has no " + (d / "b.specs").string() +
                                   "; create it or remove the profile from state");
}
