#include <doctest/doctest.h>

#include <string>

#include "common/json_depth.h"

using ingot::json_deeper_than;

TEST_CASE("json_deeper_than counts arrays and objects, not brackets inside strings") {
  CHECK_FALSE(json_deeper_than("", 1));
  CHECK_FALSE(json_deeper_than("[]", 1));
  CHECK(json_deeper_than("[[]]", 1));
  CHECK_FALSE(json_deeper_than("[[],[],{}]", 2));
  CHECK(json_deeper_than(R"({"a":[{"b":1}]})", 2));
  CHECK_FALSE(json_deeper_than(R"({"a":[{"b":1}]})", 3));
  // Brackets in strings, escaped quotes, and closers that come first do not count.
  CHECK_FALSE(json_deeper_than(R"(["[[[[", "\"[[[["])", 1));
  CHECK_FALSE(json_deeper_than("]]]][", 1));
}

TEST_CASE("the attack that ended the server: 300,000 nested arrays") {
  std::string deep(300000, '[');
  deep += std::string(300000, ']');
  CHECK(json_deeper_than(deep));
  std::string fine = std::string(ingot::kMaxJsonDepth, '[') + std::string(ingot::kMaxJsonDepth, ']');
  CHECK_FALSE(json_deeper_than(fine));
  CHECK(json_deeper_than("[" + fine + "]"));
}
