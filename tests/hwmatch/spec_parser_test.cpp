// The ingot spec file format: every function, nesting, quoting, and every syntax error message
// with its file:line:column.
#include <doctest/doctest.h>

#include "spec_test_util.h"

using namespace ingot::hwmatch;
using namespace ingot::hwmatch::test;

namespace {
bool value_passes(const std::string& test, const std::string& value) {
  Spec s = spec_of("x y z " + test + "\n");
  Facts f = {{"x", "y", "z", value}};
  return match(s, f).matched;
}
}  // namespace

TEST_CASE("every function, on both sides of its boundary") {
  CHECK(value_passes("gt(100)", "101"));
  CHECK_FALSE(value_passes("gt(100)", "100"));
  CHECK(value_passes("ge(100)", "100"));
  CHECK_FALSE(value_passes("ge(100)", "99.5"));
  CHECK(value_passes("lt(100)", "99"));
  CHECK_FALSE(value_passes("lt(100)", "100"));
  CHECK(value_passes("le(100)", "100"));
  CHECK_FALSE(value_passes("le(100)", "100.1"));
  CHECK(value_passes("range(10,20)", "10"));
  CHECK(value_passes("range(10, 20)", "20"));
  CHECK_FALSE(value_passes("range(10,20)", "21"));
  CHECK(value_passes("in(a,b,c)", "b"));
  CHECK_FALSE(value_passes("in(a,b,c)", "d"));
  CHECK(value_passes("network(10.0.0.0/8)", "10.200.3.4"));
  CHECK_FALSE(value_passes("network(10.0.0.0/8)", "11.0.0.1"));
  CHECK(value_passes("regexp(^sd[a-z]$)", "sdq"));
  CHECK_FALSE(value_passes("regexp(^sd[a-z]$)", "nvme0n1"));
  CHECK(value_passes("regexp(Xeon)", "Intel(R) Xeon(R)"));  // a search, not a full match
  CHECK(value_passes("not(gt(100))", "100"));
  CHECK_FALSE(value_passes("not(gt(100))", "101"));
  CHECK(value_passes("and(gt(1),lt(3))", "2"));
  CHECK_FALSE(value_passes("and(gt(1),lt(3))", "3"));
  CHECK(value_passes("or(lt(1),gt(3))", "4"));
  CHECK_FALSE(value_passes("or(lt(1),gt(3))", "2"));
  CHECK(value_passes("plain", "plain"));
  CHECK_FALSE(value_passes("plain", "plainer"));
}

TEST_CASE("numeric tests do not match values that are not numbers") {
  CHECK_FALSE(value_passes("gt(1)", "lots"));
  CHECK_FALSE(value_passes("lt(1)", ""));
  CHECK_FALSE(value_passes("range(0,10)", "5GB"));
  CHECK(value_passes("not(gt(1))", "lots"));
  CHECK(value_passes("gt(-1.5)", "-1"));
}

TEST_CASE("IPv6 networks, and address families never mix") {
  CHECK(value_passes("network(fd00:17::/32)", "fd00:17:0:1::5"));
  CHECK_FALSE(value_passes("network(fd00:17::/32)", "fd00:18::1"));
  CHECK(value_passes("network(fe80::/10)", "fe80::1%eth0"));
  CHECK(value_passes("network(2001:db8::/128)", "2001:db8::"));
  CHECK(value_passes("network(::/0)", "::1"));
  CHECK_FALSE(value_passes("network(::/0)", "10.0.0.1"));
  CHECK_FALSE(value_passes("network(0.0.0.0/0)", "::1"));
  CHECK(value_passes("network(0.0.0.0/0)", "198.18.0.1"));
  CHECK(value_passes("network(10.1.2.0/23)", "10.1.3.255/23"));  // a fact's prefix is ignored
  CHECK_FALSE(value_passes("network(10.1.2.0/23)", "10.1.4.0"));
  CHECK(value_passes("or(network(10.0.0.0/8), network(fd00::/8))", "fd12::1"));
}

TEST_CASE("nesting to any depth") {
  const std::string t = "not(and(gt(100), or(lt(150), in(500, 600)), not(regexp(^7))))";
  CHECK(value_passes(t, "99"));    // gt fails: and false: not true
  CHECK_FALSE(value_passes(t, "120"));
  CHECK(value_passes(t, "200"));   // or fails
  CHECK_FALSE(value_passes(t, "500"));
  CHECK(value_passes(t, "7000"));  // 7000 is not in(500,600), or fails
  CHECK(value_passes("and(or(a, b), not(b))", "a"));
  CHECK_FALSE(value_passes("and(or(a, b), not(b))", "b"));
  CHECK(value_passes("and(gt(1), gt(2), gt(3), lt(5))", "4"));  // and/or take any count
}

TEST_CASE("quoting: spaces, parentheses, commas, escapes, both quote styles") {
  CHECK(value_passes("'Intel(R) Xeon(R) Gold'", "Intel(R) Xeon(R) Gold"));
  CHECK(value_passes("\"Dell Inc.\"", "Dell Inc."));
  CHECK(value_passes("'it\\'s'", "it's"));
  CHECK(value_passes("\"say \\\"hi\\\"\"", "say \"hi\""));
  CHECK(value_passes("in('a b', \"c,d\")", "c,d"));
  CHECK(value_passes("in('a b', \"c,d\")", "a b"));
  CHECK(value_passes("regexp('^a{1,3}$')", "aaa"));
  CHECK_FALSE(value_passes("regexp('^a{1,3}$')", "aaaa"));
  CHECK(value_passes("regexp('\\d+G')", "480G"));  // \d kept as written
  CHECK(value_passes("regexp(^(sd|vd)a$)", "vda"));  // balanced parentheses need no quotes
  CHECK(value_passes("regexp('^(ab)+[(+]*(x{2})?$')", "abab((xx"));  // repetition, but not nested
  CHECK(value_passes("regexp('\\(a+\\)+')", "(aa)"));  // escaped parentheses are not groups
  CHECK(value_passes("not('x y')", "x"));
  CHECK(value_passes("''", ""));
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
