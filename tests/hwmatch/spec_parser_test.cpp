// The ingot spec file format: every function, nesting, quoting, and every syntax error message
// with its file:line:column.
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>

#include "spec_test_util.h"

using namespace ingot::hwmatch;
using namespace ingot::hwmatch::test;

namespace {
bool value_passes(const std::string& test, const std::string& value) {
  Spec s = spec_of("x y z " + test + "\n");
  Facts f = {{"x", "y", "z", value}};
  return match(s, f).matched;
}

enum class Outcome { passes, fails };
using enum Outcome;

// One row per boundary: the test as written in a spec, a fact's value, and the outcome.
struct ValueCase {
  std::string test;
  const char* value;
  Outcome outcome;
};

void check_values(std::initializer_list<ValueCase> cases) {
  for (const auto& c : cases) {
    CAPTURE(c.test);
    CAPTURE(c.value);
    CHECK(value_passes(c.test, c.value) == (c.outcome == passes));
  }
}
}  // namespace

TEST_CASE("values against every kind of test, nested and quoted") {
  const std::string nested = "not(and(gt(100), or(lt(150), in(500, 600)), not(regexp(^7))))";
  check_values({
      // Every function, on both sides of its boundary
      {"gt(100)", "101", passes},
      {"gt(100)", "100", fails},
      {"ge(100)", "100", passes},
      {"ge(100)", "99.5", fails},
      {"lt(100)", "99", passes},
      {"lt(100)", "100", fails},
      {"le(100)", "100", passes},
      {"le(100)", "100.1", fails},
      {"range(10,20)", "10", passes},
      {"range(10, 20)", "20", passes},
      {"range(10,20)", "21", fails},
      {"in(a,b,c)", "b", passes},
      {"in(a,b,c)", "d", fails},
      {"network(10.0.0.0/8)", "10.200.3.4", passes},
      {"network(10.0.0.0/8)", "11.0.0.1", fails},
      {"regexp(^sd[a-z]$)", "sdq", passes},
      {"regexp(^sd[a-z]$)", "nvme0n1", fails},
      {"regexp(Xeon)", "Intel(R) Xeon(R)", passes},  // a search, not a full match
      {"not(gt(100))", "100", passes},
      {"not(gt(100))", "101", fails},
      {"and(gt(1),lt(3))", "2", passes},
      {"and(gt(1),lt(3))", "3", fails},
      {"or(lt(1),gt(3))", "4", passes},
      {"or(lt(1),gt(3))", "2", fails},
      {"plain", "plain", passes},
      {"plain", "plainer", fails},
      // Numeric tests do not match values that are not numbers
      {"gt(1)", "lots", fails},
      {"lt(1)", "", fails},
      {"range(0,10)", "5GB", fails},
      {"not(gt(1))", "lots", passes},
      {"gt(-1.5)", "-1", passes},
      // IPv6 networks, and address families never mix
      {"network(fd00:17::/32)", "fd00:17:0:1::5", passes},
      {"network(fd00:17::/32)", "fd00:18::1", fails},
      {"network(fe80::/10)", "fe80::1%eth0", passes},
      {"network(2001:db8::/128)", "2001:db8::", passes},
      {"network(::/0)", "::1", passes},
      {"network(::/0)", "10.0.0.1", fails},
      {"network(0.0.0.0/0)", "::1", fails},
      {"network(0.0.0.0/0)", "198.18.0.1", passes},
      {"network(10.1.2.0/23)", "10.1.3.255/23", passes},  // a fact's prefix is ignored
      {"network(10.1.2.0/23)", "10.1.4.0", fails},
      {"or(network(10.0.0.0/8), network(fd00::/8))", "fd12::1", passes},
      // Nesting to any depth
      {nested, "99", passes},    // gt fails: and false: not true
      {nested, "120", fails},
      {nested, "200", passes},   // or fails
      {nested, "500", fails},
      {nested, "7000", passes},  // 7000 is not in(500,600), or fails
      {"and(or(a, b), not(b))", "a", passes},
      {"and(or(a, b), not(b))", "b", fails},
      {"and(gt(1), gt(2), gt(3), lt(5))", "4", passes},  // and/or take any count
      // Quoting: spaces, parentheses, commas, escapes, both quote styles
      {"'Intel(R) Xeon(R) Gold'", "Intel(R) Xeon(R) Gold", passes},
      {"\"Dell Inc.\"", "Dell Inc.", passes},
      {"'it\\'s'", "it's", passes},
      {"\"say \\\"hi\\\"\"", "say \"hi\"", passes},
      {"in('a b', \"c,d\")", "c,d", passes},
      {"in('a b', \"c,d\")", "a b", passes},
      {"regexp('^a{1,3}$')", "aaa", passes},
      {"regexp('^a{1,3}$')", "aaaa", fails},
      {"regexp('\\d+G')", "480G", passes},  // \d kept as written
      {"regexp(^(sd|vd)a$)", "vda", passes},  // balanced parentheses need no quotes
      {"regexp('^(ab)+[(+]*(x{2})?$')", "abab((xx", passes},  // repetition, but not nested
      {"regexp('\\(a+\\)+')", "(aa)", passes},  // escaped parentheses are not groups
      {"not('x y')", "x", passes},
      {"''", "", passes},
  });
}

TEST_CASE("quotes work in every field, not only the value") {
  Spec s = spec_of("'my class' \"a name\" key 'v 1' # trailing comment\n");
  CHECK(match(s, Facts{{"my class", "a name", "key", "v 1"}}).matched);
}

TEST_CASE("comments, blank lines, tabs, CRLF") {
  Spec s = spec_of("# header\n\n  \t\ndisk\t$d  size   gt(1)\r\n   # indented comment\nnetwork $e model regexp(a#b) # real comment\n");
  REQUIRE(s.lines.size() == 2);
  CHECK(s.lines[0].line == 4);
  CHECK(s.lines[1].line == 6);
  CHECK(s.lines[1].fields[3].test->source == "regexp(a#b)");  // '#' inside a field is not a comment
}

TEST_CASE("variables are numbered once; $$ marks a variable exported") {
  Spec s = spec_of("network $eth serial $$mac\nnetwork $eth ipv4 $ip\nsystem product serial $$mac\n");
  REQUIRE(s.vars.size() == 3);
  CHECK(s.vars[0] == "eth");
  CHECK(s.vars[1] == "mac");
  CHECK(s.exported[1]);
  CHECK_FALSE(s.exported[0]);
  Spec e = spec_of("network $eth-pub1 serial $mac.1\n");
  CHECK(e.vars[0] == "eth-pub1");
  CHECK(e.vars[1] == "mac.1");
}

TEST_CASE("syntax errors name file, line, column and the fix") {
  struct Case {
    const char* spec;
    const char* error;
  };
  const Case cases[] = {
      {"disk $d size \"abc\n", "t.spec:1:14: unterminated string; close it with a matching \""},
      {"\n\ndisk $d size gt(4\n", "t.spec:3:16: unclosed '('; add ')'"},
      {"disk $d size gt4)\n", "t.spec:1:17: unexpected ')' without a matching '('; remove it or quote the value"},
      {"disk $d size gtt(4)\n",
       "t.spec:1:14: unknown function 'gtt'; known functions: gt ge lt le range in network regexp not and or "
       "(quote the value to compare it literally)"},
      {"disk $d size and(gt(1), foo(2))\n", "t.spec:1:25: unknown function 'foo'"},
      {"cpu x y 'Intel' Xeon\n", "t.spec:1:17: expected 4 fields (class name key value), got 5; quote values that contain spaces"},
      {"disk $d size\n", "t.spec:1:13: expected 4 fields (class name key value), got 3"},
      {"disk $d size gt(1,2)\n", "t.spec:1:14: gt takes 1 argument (a number), got 2 arguments"},
      {"disk $d size gt()\n", "t.spec:1:14: gt takes 1 argument (a number), got 0 arguments"},
      {"disk $d size range(1)\n", "t.spec:1:14: range takes 2 arguments (low, high), got 1 argument"},
      {"disk $d size not(1,2)\n", "t.spec:1:14: not takes 1 argument (a test or a value), got 2 arguments"},
      {"disk $d size and(gt(1))\n", "t.spec:1:14: and takes 2 or more tests, got 1 argument"},
      {"disk $d size or(gt(1))\n", "t.spec:1:14: or takes 2 or more tests, got 1 argument"},
      {"disk $d size in()\n", "t.spec:1:14: in takes 1 or more values, got 0 arguments"},
      {"disk $d size gt(4G)\n", "t.spec:1:17: gt: '4G' is not a number; write the value in the fact's unit, e.g. gt(100)"},
      {"disk $d size range(9, x)\n", "t.spec:1:23: range: 'x' is not a number"},
      {"disk $d size range(20, 10)\n", "t.spec:1:20: range: lower bound 20 is above upper bound 10"},
      {"disk $d size gt(gt(1))\n", "t.spec:1:17: gt takes numbers, not a test"},
      {"disk $d size in(a, gt(1))\n", "t.spec:1:20: in takes values, not a test"},
      {"disk $d model regexp('[a-')\n", "t.spec:1:22: regexp: invalid regular expression '[a-'"},
      {"disk $d model regexp(a, b)\n", "t.spec:1:15: regexp takes 1 argument"},
      {"disk $d model regexp(^(a+)+$)\n", "t.spec:1:27: regexp: a repeated group that itself repeats (like (a+)+)"},
      {"disk $d model regexp('(x(\\w*))*')\n", "t.spec:1:31: regexp: a repeated group that itself repeats"},
      {"network $e ipv4 network(10.0.0.0/33)\n", "t.spec:1:25: network: prefix length '33' must be a number from 0 to 32"},
      {"network $e ipv6 network(fd00::/129)\n", "t.spec:1:25: network: prefix length '129' must be a number from 0 to 128"},
      {"network $e ipv4 network(10.0.0.1/24)\n",
       "t.spec:1:25: network: '10.0.0.1/24' has host bits set; did you mean 10.0.0.0/24?"},
      {"network $e ipv6 network(fd00::1/64)\n", "t.spec:1:25: network: 'fd00::1/64' has host bits set; did you mean fd00::/64?"},
      {"network $e ipv4 network(10.0.0.0)\n", "t.spec:1:25: network: '10.0.0.0' has no prefix length; write ADDRESS/PREFIX"},
      {"network $e ipv4 network(ten/8)\n", "t.spec:1:25: network: 'ten' is not an IPv4 or IPv6 address"},
      {"network $ ipv4 x\n", "t.spec:1:10: '$' must be followed by a variable name"},
      {"network $$ ipv4 x\n", "t.spec:1:11: '$' must be followed by a variable name"},
      {"network $e+1 ipv4 x\n", "t.spec:1:11: unexpected '+' in a variable name"},
      {"disk $d= size x\n", "t.spec:1:9: after '$d=' write a test, e.g. gt(100)"},
      {"disk $d=sda size x\n", "t.spec:1:9: after '$d=' write a test, e.g. gt(100)"},
      {"disk $d=foo(1) size x\n", "t.spec:1:9: unknown function 'foo'"},
      {"disk $d size gt(4)x\n", "t.spec:1:19: unexpected text after ')'"},
      {"disk $d size 'abc'def\n", "t.spec:1:19: unexpected text after the closing quote; quote the whole value"},
      {"cpu x product Intel(R)\n", "t.spec:1:15: unknown function 'Intel'"},
      {"cpu x product 1.0(beta)\n", "t.spec:1:18: unexpected '(' in a plain value; quote the whole value, e.g. '1.0(beta)'"},
      {"disk $d size in(a,,b)\n", "t.spec:1:19: empty argument to in"},
      {"disk $d size in('a' 'b')\n", "t.spec:1:21: expected ',' or ')' but found '''"},
      {"disk $d size in('a\n", "t.spec:1:17: unterminated string; close it with a matching '"},
      {"disk $d\x01 size x\n", "t.spec:1:8: control character 0x1 in a spec line; remove it"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.spec);
    std::string e = spec_error(c.spec);
    CHECK_MESSAGE(e.rfind(c.error, 0) == 0, e);
  }
}

TEST_CASE("nesting deeper than the limit is an error, not a stack overflow") {
  std::string t;
  for (int i = 0; i < kMaxExprDepth + 1; ++i) t += "not(";
  t += "1";
  for (int i = 0; i < kMaxExprDepth + 1; ++i) t += ")";
  CHECK(spec_error("a b c " + t + "\n").find("nested deeper than 16 levels") != std::string::npos);
  std::string ok;
  for (int i = 0; i < kMaxExprDepth; ++i) ok += "not(";
  ok += "1";
  for (int i = 0; i < kMaxExprDepth; ++i) ok += ")";
  CHECK(value_passes(ok, "1"));  // 16 nots: even, so the value itself
}

TEST_CASE("oversized input is refused with the limit named") {
  CHECK(spec_error(std::string(kMaxSpecBytes + 1, '#')).find("exceed the limit") != std::string::npos);
  CHECK(spec_error("a b c " + std::string(kMaxSpecLineLength, 'x') + "\n").find("t.spec:1:1: line longer than") == 0);
  auto missing = load_spec("/nonexistent/hardware.spec");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message() == "/nonexistent/hardware.spec: cannot read the file");
}
