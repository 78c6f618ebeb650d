#include "hwmatch/spec_expr.h"

#include "common/text.h"

#include <charconv>

namespace ingot::hwmatch {

std::optional<double> parse_number(std::string_view t) {
  t = trim_blanks(t);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc{} || end != t.data() + t.size()) return std::nullopt;
  return v;
}

bool eval(const Expr& e, std::string_view value) {
  switch (e.op) {
    case ExprOp::equals: return value == e.text;
    case ExprOp::gt: { auto v = parse_number(value); return v && *v > e.low; }
    case ExprOp::ge: { auto v = parse_number(value); return v && *v >= e.low; }
    case ExprOp::lt: { auto v = parse_number(value); return v && *v < e.low; }
    case ExprOp::le: { auto v = parse_number(value); return v && *v <= e.low; }
    case ExprOp::range: { auto v = parse_number(value); return v && *v >= e.low && *v <= e.high; }
    case ExprOp::in:
      for (const auto& s : e.set)
        if (value == s) return true;
      return false;
    case ExprOp::network: return e.network->contains(value);
    case ExprOp::regexp: return std::regex_search(value.begin(), value.end(), *e.re);
    case ExprOp::negate: return !eval(e.kids[0], value);
    case ExprOp::all:
      for (const auto& k : e.kids)
        if (!eval(k, value)) return false;
      return true;
    case ExprOp::any:
      for (const auto& k : e.kids)
        if (eval(k, value)) return true;
      return false;
  }
  return false;
}

std::string_view op_name(ExprOp op) {
  switch (op) {
    case ExprOp::equals: return "equals";
    case ExprOp::gt: return "gt";
    case ExprOp::ge: return "ge";
    case ExprOp::lt: return "lt";
    case ExprOp::le: return "le";
    case ExprOp::range: return "range";
    case ExprOp::in: return "in";
    case ExprOp::network: return "network";
    case ExprOp::regexp: return "regexp";
    case ExprOp::negate: return "not";
    case ExprOp::all: return "and";
    case ExprOp::any: return "or";
  }
  return "?";
}

}  // namespace ingot::hwmatch
