// A compiled test from the spec language: gt ge lt le range in network regexp not and or, nested
// to any depth, plus plain equality. Built once by the spec parser (numbers parsed, regexes
// compiled, networks validated), then evaluated against fact values with no allocation.
#pragma once

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "hwmatch/ip_network.h"

namespace ingot::hwmatch {

enum class ExprOp { equals, gt, ge, lt, le, range, in, network, regexp, negate, all, any };

struct Expr {
  ExprOp op = ExprOp::equals;
  double low = 0, high = 0;             // gt ge lt le use low; range uses both
  std::string text;                     // equals: the value; regexp: the pattern
  std::vector<std::string> set;         // in
  std::optional<IpNetwork> network;     // network
  std::shared_ptr<const std::regex> re;  // regexp: shared so specs copy cheaply
  std::vector<Expr> kids;               // not, and, or
  std::string source;                   // as written, for explanations
};

// Fact values are compared as numbers the way eDeploy does (Python float()); a value that is
// not a number fails gt/ge/lt/le/range instead of matching by accident.
std::optional<double> parse_number(std::string_view text);

bool eval(const Expr& e, std::string_view value);

// Name of the function for an op, as written in specs ("gt", "not", ...).
std::string_view op_name(ExprOp op);

}  // namespace ingot::hwmatch
