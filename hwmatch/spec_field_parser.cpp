#include "hwmatch/spec_field_parser.h"

#include <array>
#include <optional>
#include <vector>

namespace ingot::hwmatch {
namespace {

constexpr std::array<std::string_view, 11> kFunctions = {"gt", "ge", "lt", "le", "range", "in",
                                                          "network", "regexp", "not", "and", "or"};
constexpr std::string_view kFunctionList = "gt ge lt le range in network regexp not and or";

bool is_known(std::string_view name) {
  for (auto f : kFunctions)
    if (f == name) return true;
  return false;
}
bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
bool is_var_char(char c) { return is_ident(c) || c == '-' || c == '.'; }
bool is_space(char c) { return c == ' ' || c == '\t'; }

// A quantified group that itself holds a quantifier, like (a+)+ or (\w*)*: std::regex
// backtracks exponentially on such patterns, and fact values come from the machines, so one
// crafted value could stall every match. Refused at load time; returns the offending offset.
std::optional<std::size_t> nested_quantifier(std::string_view re) {
  std::vector<bool> group_has_quantifier;
  bool in_class = false;
  for (std::size_t i = 0; i < re.size(); ++i) {
    char c = re[i];
    if (c == '\\') { ++i; continue; }
    if (in_class) { in_class = c != ']'; continue; }
    if (c == '[') { in_class = true; continue; }
    bool quantifier = c == '*' || c == '+' || c == '{';
    if (c == '(') group_has_quantifier.push_back(false);
    else if (quantifier && !group_has_quantifier.empty()) group_has_quantifier.back() = true;
    else if (c == ')' && !group_has_quantifier.empty()) {
      bool inner = group_has_quantifier.back();
      group_has_quantifier.pop_back();
      if (!group_has_quantifier.empty() && inner) group_has_quantifier.back() = true;
      char next = i + 1 < re.size() ? re[i + 1] : '\0';
      if (inner && (next == '*' || next == '+' || next == '{')) return i + 1;
    }
  }
  return std::nullopt;
}

struct Arg {
  bool is_call = false;
  bool quoted = false;
  std::string text;
  std::size_t offset = 0;
  Expr expr;
};

class FieldParser {
 public:
  FieldParser(std::string_view text, FieldSyntax syntax, const SourceSpot& at, Spec& spec)
      : t_(text), syntax_(syntax), at_(at), spec_(spec) {}

  Result<SpecField> field();

 private:
  Unexpected err(std::size_t offset, const std::string& msg) const {
    return fail(spec_location(at_.file, at_.line, at_.column + static_cast<int>(offset)) + ": " + msg);
  }
  bool at_call() const {
    std::size_t p = pos_;
    if (p >= t_.size() || !is_ident_start(t_[p])) return false;
    while (p < t_.size() && is_ident(t_[p])) ++p;
    return p < t_.size() && t_[p] == '(';
  }
  void skip_space() {
    while (pos_ < t_.size() && is_space(t_[pos_])) ++pos_;
  }
  Result<SpecField> variable();
  Result<Expr> call(int depth);
  Result<Arg> arg(int depth, std::string_view fn, std::size_t open);
  Result<Expr> build(std::string_view name, std::size_t name_at, std::vector<Arg>& args, std::size_t end);
  Result<Expr> number_fn(ExprOp op, std::string_view name, std::vector<Arg>& args);

  std::string_view t_;
  FieldSyntax syntax_;
  SourceSpot at_;
  Spec& spec_;
  std::size_t pos_ = 0;
};

Result<SpecField> FieldParser::field() {
  SpecField f;
  f.source = std::string(t_);
  if (t_.empty()) {
    f.literal.clear();
    return f;
  }
  if (t_[0] == '$') return variable();
  if (syntax_ == FieldSyntax::edeploy) {
    auto open = t_.find('(');
    bool looks_call = open != std::string_view::npos && t_.back() == ')' && is_known(t_.substr(0, open));
    if (!looks_call) {
      f.literal = std::string(t_);
      return f;
    }
  } else if (t_[0] == '"' || t_[0] == '\'') {
    std::size_t p = 0;
    if (!read_quoted(t_, p, f.literal)) return err(0, "unterminated string; close it with a matching " + std::string(1, t_[0]));
    if (p != t_.size()) return err(p, "unexpected text after the closing quote; quote the whole value");
    return f;
  } else if (!at_call()) {
    for (std::size_t i = 0; i < t_.size(); ++i) {
      char c = t_[i];
      if (c == '(' || c == ')' || c == '"' || c == '\'')
        return err(i, std::string("unexpected '") + c + "' in a plain value; quote the whole value, e.g. '" +
                          std::string(t_) + "'");
    }
    f.literal = std::string(t_);
    return f;
  }
  auto e = call(1);
  if (!e) return fail(e.error());
  if (pos_ != t_.size()) return err(pos_, "unexpected text after ')'; a field holds one test (combine with and(...))");
  f.is_literal = false;
  f.test = std::move(*e);
  return f;
}

Result<SpecField> FieldParser::variable() {
  SpecField f;
  f.source = std::string(t_);
  f.is_literal = false;
  pos_ = 1;
  bool exported = pos_ < t_.size() && t_[pos_] == '$';
  if (exported) ++pos_;
  std::size_t start = pos_;
  while (pos_ < t_.size() && is_var_char(t_[pos_])) ++pos_;
  if (pos_ == start) return err(start, "'$' must be followed by a variable name (letters, digits, '_', '-', '.')");
  auto index = spec_.intern(t_.substr(start, pos_ - start), exported);
  if (!index) return err(0, "too many variables (limit " + std::to_string(kMaxSpecVariables) + ")");
  f.var = *index;
  if (pos_ == t_.size()) return f;
  if (t_[pos_] != '=')
    return err(pos_, std::string("unexpected '") + t_[pos_] +
                         "' in a variable name; names use letters, digits, '_', '-', '.' (write $name=test(...) to test and bind)");
  ++pos_;
  if (!at_call()) return err(pos_, "after '" + std::string(t_.substr(0, pos_)) + "' write a test, e.g. gt(100)");
  auto e = call(1);
  if (!e) return fail(e.error());
  if (pos_ != t_.size()) return err(pos_, "unexpected text after ')'");
  f.test = std::move(*e);
  return f;
}

Result<Expr> FieldParser::call(int depth) {
  std::size_t name_at = pos_;
  while (pos_ < t_.size() && is_ident(t_[pos_])) ++pos_;
  std::string_view name = t_.substr(name_at, pos_ - name_at);
  if (!is_known(name))
    return err(name_at, "unknown function '" + std::string(name) + "'; known functions: " + std::string(kFunctionList) +
                            " (quote the value to compare it literally)");
  if (depth > kMaxExprDepth) return err(name_at, "tests nested deeper than " + std::to_string(kMaxExprDepth) + " levels");
  std::size_t open = pos_++;
  std::vector<Arg> args;
  skip_space();
  if (pos_ < t_.size() && t_[pos_] == ')') {
    ++pos_;
    return build(name, name_at, args, pos_);
  }
  for (;;) {
    auto a = arg(depth, name, open);
    if (!a) return fail(a.error());
    args.push_back(std::move(*a));
    skip_space();
    if (pos_ >= t_.size()) return err(open, "unclosed '(' of " + std::string(name) + "; add ')'");
    if (t_[pos_] == ')') break;
    if (t_[pos_] != ',') return err(pos_, std::string("expected ',' or ')' but found '") + t_[pos_] + "'");
    ++pos_;
  }
  ++pos_;
  return build(name, name_at, args, pos_);
}

Result<Arg> FieldParser::arg(int depth, std::string_view fn, std::size_t open) {
  skip_space();
  Arg a;
  a.offset = pos_;
  if (pos_ >= t_.size()) return err(open, "unclosed '(' of " + std::string(fn) + "; add ')'");
  char c = t_[pos_];
  if (c == '"' || c == '\'') {
    a.quoted = true;
    if (!read_quoted(t_, pos_, a.text)) return err(a.offset, "unterminated string; close it with a matching " + std::string(1, c));
    return a;
  }
  if (at_call()) {
    auto e = call(depth + 1);
    if (!e) return fail(e.error());
    a.is_call = true;
    a.expr = std::move(*e);
    return a;
  }
  // A bare argument runs to the next ',' or ')' at its own nesting level, so an unquoted regex
  // like ^(sd|vd)a$ works; commas inside one need quotes.
  int nest = 0;
  while (pos_ < t_.size()) {
    char d = t_[pos_];
    if (d == '(') ++nest;
    else if (d == ')' && nest-- == 0) break;
    else if (d == ',' && nest == 0) break;
    ++pos_;
  }
  std::string_view raw = t_.substr(a.offset, pos_ - a.offset);
  while (!raw.empty() && is_space(raw.back())) raw.remove_suffix(1);
  if (raw.empty()) return err(a.offset, "empty argument to " + std::string(fn));
  a.text = std::string(raw);
  return a;
}

Result<Expr> FieldParser::number_fn(ExprOp op, std::string_view name, std::vector<Arg>& args) {
  Expr e;
  e.op = op;
  double* slots[2] = {&e.low, &e.high};
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].is_call) return err(args[i].offset, std::string(name) + " takes numbers, not a test");
    auto v = parse_number(args[i].text);
    if (!v)
      return err(args[i].offset, std::string(name) + ": '" + args[i].text +
                                     "' is not a number; write the value in the fact's unit, e.g. " + std::string(name) +
                                     (op == ExprOp::range ? "(100, 200)" : "(100)"));
    *slots[i] = *v;
  }
  return e;
}

Result<Expr> FieldParser::build(std::string_view name, std::size_t name_at, std::vector<Arg>& args, std::size_t end) {
  auto arity = [&](std::size_t min, std::size_t max, const char* what) -> Result<void> {
    if (args.size() >= min && args.size() <= max) return ok();
    return err(name_at, std::string(name) + " takes " + what + ", got " + std::to_string(args.size()) + " argument" +
                            (args.size() == 1 ? "" : "s"));
  };
  auto no_calls = [&]() -> Result<void> {
    for (auto& a : args)
      if (a.is_call) return err(a.offset, std::string(name) + " takes values, not a test");
    return ok();
  };
  Result<Expr> out = Expr{};
  if (name == "gt" || name == "ge" || name == "lt" || name == "le") {
    if (auto r = arity(1, 1, "1 argument (a number)"); !r) return fail(r.error());
    ExprOp op = name == "gt" ? ExprOp::gt : name == "ge" ? ExprOp::ge : name == "lt" ? ExprOp::lt : ExprOp::le;
    out = number_fn(op, name, args);
  } else if (name == "range") {
    if (auto r = arity(2, 2, "2 arguments (low, high)"); !r) return fail(r.error());
    out = number_fn(ExprOp::range, name, args);
    if (out && out->low > out->high)
      return err(args[0].offset, "range: lower bound " + args[0].text + " is above upper bound " + args[1].text);
  } else if (name == "in") {
    if (auto r = arity(1, kMaxInItems, "1 or more values"); !r) return fail(r.error());
    if (auto r = no_calls(); !r) return fail(r.error());
    out->op = ExprOp::in;
    for (auto& a : args) out->set.push_back(std::move(a.text));
  } else if (name == "network") {
    if (auto r = arity(1, 1, "1 argument (ADDRESS/PREFIX)"); !r) return fail(r.error());
    if (auto r = no_calls(); !r) return fail(r.error());
    auto net = IpNetwork::parse(args[0].text);
    if (!net) return err(args[0].offset, "network: " + net.error().message());
    out->op = ExprOp::network;
    out->network = *net;
  } else if (name == "regexp") {
    if (auto r = arity(1, 1, "1 argument (a regular expression; quote it if it contains ',')"); !r) return fail(r.error());
    if (auto r = no_calls(); !r) return fail(r.error());
    if (args[0].text.size() > kMaxRegexLength)
      return err(args[0].offset, "regexp: pattern longer than " + std::to_string(kMaxRegexLength) + " characters");
    if (auto at = nested_quantifier(args[0].text))
      return err(args[0].offset + (args[0].quoted ? 1 : 0) + *at,
                 "regexp: a repeated group that itself repeats (like (a+)+) can take exponential time on a crafted "
                 "value; rewrite it without the nested repetition");
    out->op = ExprOp::regexp;
    out->text = args[0].text;
    try {
      out->re = std::make_shared<const std::regex>(out->text, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
      return err(args[0].offset, "regexp: invalid regular expression '" + out->text + "': " + e.what());
    }
  } else {
    bool negate = name == "not";
    if (auto r = negate ? arity(1, 1, "1 argument (a test or a value)") : arity(2, kMaxInItems, "2 or more tests"); !r)
      return fail(r.error());
    out->op = negate ? ExprOp::negate : name == "and" ? ExprOp::all : ExprOp::any;
    for (auto& a : args) {
      if (a.is_call) {
        out->kids.push_back(std::move(a.expr));
      } else {
        Expr eq;
        eq.op = ExprOp::equals;
        eq.text = a.text;
        eq.source = a.quoted ? "'" + a.text + "'" : a.text;
        out->kids.push_back(std::move(eq));
      }
    }
  }
  if (!out) return out;
  out->source = std::string(t_.substr(name_at, end - name_at));
  return out;
}

}  // namespace

bool read_quoted(std::string_view text, std::size_t& pos, std::string& out) {
  char q = text[pos];
  std::size_t p = pos + 1;
  out.clear();
  while (p < text.size()) {
    char c = text[p];
    if (c == q) {
      pos = p + 1;
      return true;
    }
    if (c == '\\' && p + 1 < text.size()) {
      char n = text[p + 1];
      if (n == '\\' || n == '\'' || n == '"') out += n;
      else if (n == 'n') out += '\n';
      else if (n == 't') out += '\t';
      else { out += '\\'; out += n; }
      p += 2;
      continue;
    }
    out += c;
    ++p;
  }
  return false;
}

Result<SpecField> parse_field(std::string_view text, FieldSyntax syntax, const SourceSpot& at, Spec& spec) {
  return FieldParser(text, syntax, at, spec).field();
}

}  // namespace ingot::hwmatch
