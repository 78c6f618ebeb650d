#include "hwmatch/python_literal.h"

#include <algorithm>
#include <charconv>

namespace ingot::hwmatch {
namespace {

class PyParser {
 public:
  PyParser(std::string_view t, const std::string& file, const PyParseOptions& o) : t_(t), file_(file), opt_(o) {}

  Result<PyValue> document() {
    auto v = value(0);
    if (!v) return v;
    skip();
    if (pos_ < t_.size()) return err("unexpected '" + std::string(1, t_[pos_]) + "' after the value");
    return v;
  }

 private:
  Unexpected err(const std::string& msg) const { return err_at(line_, col(), msg); }
  Unexpected err_at(int line, int column, const std::string& msg) const {
    return fail(file_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + msg);
  }
  int col() const { return static_cast<int>(pos_ - line_start_) + 1; }
  void advance() {
    if (t_[pos_] == '\n') {
      ++line_;
      line_start_ = pos_ + 1;
    }
    ++pos_;
  }
  void skip() {
    while (pos_ < t_.size()) {
      char c = t_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') advance();
      else if (c == '#') while (pos_ < t_.size() && t_[pos_] != '\n') advance();
      else if (c == '\\' && pos_ + 1 < t_.size() && t_[pos_ + 1] == '\n') { advance(); advance(); }
      else break;
    }
  }
  PyValue at_here(PyValue::Kind k) const {
    PyValue v;
    v.kind = k;
    v.line = line_;
    v.column = col();
    return v;
  }
  Result<PyValue> value(int depth);
  Result<PyValue> sequence(int depth, char close, PyValue v);
  Result<PyValue> dict(int depth);
  Result<PyValue> string();
  Result<void> string_body(bool raw);
  Result<PyValue> number();
  Result<PyValue> name(int depth);

  std::string_view t_;
  const std::string& file_;
  const PyParseOptions& opt_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::size_t line_start_ = 0;
  std::string buf_;
};

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

void put_utf8(std::string& s, std::uint32_t cp) {
  if (cp < 0x80) s += static_cast<char>(cp);
  else if (cp < 0x800) { s += static_cast<char>(0xc0 | (cp >> 6)); s += static_cast<char>(0x80 | (cp & 0x3f)); }
  else if (cp < 0x10000) {
    s += static_cast<char>(0xe0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    s += static_cast<char>(0xf0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

Result<PyValue> PyParser::value(int depth) {
  skip();
  if (depth > kMaxPythonLiteralDepth) return err("nested deeper than " + std::to_string(kMaxPythonLiteralDepth) + " levels");
  if (pos_ >= t_.size()) return err("unexpected end of file; a value is missing");
  char c = t_[pos_];
  if (c == '[') { PyValue v = at_here(PyValue::Kind::list); advance(); return sequence(depth, ']', std::move(v)); }
  if (c == '(') { PyValue v = at_here(PyValue::Kind::tuple); advance(); return sequence(depth, ')', std::move(v)); }
  if (c == '{') return dict(depth);
  if (c == '\'' || c == '"') return string();
  if (c == '-' || c == '+' || (c >= '0' && c <= '9')) return number();
  if (c == '.') return err("floats are not supported; write the value as a string or an integer");
  if (is_name_start(c)) return name(depth);
  return err("unexpected '" + std::string(1, c) + "'; expected a string, integer, list, tuple, dict, True, False or None");
}

Result<PyValue> PyParser::sequence(int depth, char close, PyValue v) {
  bool saw_comma = false;
  for (;;) {
    skip();
    if (pos_ >= t_.size()) return err_at(v.line, v.column, std::string("unclosed '") + (close == ']' ? '[' : '(') + "'; add '" + close + "'");
    if (t_[pos_] == close) { advance(); break; }
    auto item = value(depth + 1);
    if (!item) return item;
    v.items.push_back(std::move(*item));
    skip();
    if (pos_ < t_.size() && t_[pos_] == ',') { advance(); saw_comma = true; continue; }
    if (pos_ < t_.size() && t_[pos_] == close) { advance(); break; }
    if (pos_ >= t_.size()) continue;  // reported as unclosed above
    return err(std::string("expected ',' or '") + close + "' but found '" + t_[pos_] + "'");
  }
  // (x) is just x in Python; only (x,) is a one-element tuple.
  if (close == ')' && v.items.size() == 1 && !saw_comma) return std::move(v.items[0]);
  return v;
}

Result<PyValue> PyParser::dict(int depth) {
  PyValue v = at_here(PyValue::Kind::dict);
  advance();
  for (;;) {
    skip();
    if (pos_ >= t_.size()) return err_at(v.line, v.column, "unclosed '{'; add '}'");
    if (t_[pos_] == '}') { advance(); return v; }
    auto key = value(depth + 1);
    if (!key) return key;
    skip();
    if (pos_ >= t_.size() || t_[pos_] != ':')
      return err("expected ':' after a dict key (sets are not supported)");
    advance();
    auto val = value(depth + 1);
    if (!val) return val;
    v.dict.push_back(PyEntry{std::move(*key), std::move(*val)});
    skip();
    if (pos_ < t_.size() && t_[pos_] == ',') { advance(); continue; }
    if (pos_ < t_.size() && t_[pos_] == '}') { advance(); return v; }
    if (pos_ >= t_.size()) continue;
    return err("expected ',' or '}' but found '" + std::string(1, t_[pos_]) + "'");
  }
}

Result<void> PyParser::string_body(bool raw) {
  char q = t_[pos_];
  int sl = line_, sc = col();
  if (pos_ + 2 < t_.size() && t_[pos_ + 1] == q && t_[pos_ + 2] == q)
    return err("triple-quoted strings are not supported; use one string per line");
  advance();
  while (pos_ < t_.size()) {
    char c = t_[pos_];
    if (c == q) { advance(); return ok(); }
    if (c == '\n') break;
    if (c != '\\' || pos_ + 1 >= t_.size()) { buf_ += c; advance(); continue; }
    char n = t_[pos_ + 1];
    if (raw) {  // r'...': backslashes stay, but \' still does not end the string
      buf_ += c;
      buf_ += n;
      advance();
      advance();
      continue;
    }
    advance();
    advance();
    switch (n) {
      case '\\': buf_ += '\\'; break;
      case '\'': buf_ += '\''; break;
      case '"': buf_ += '"'; break;
      case 'n': buf_ += '\n'; break;
      case 't': buf_ += '\t'; break;
      case 'r': buf_ += '\r'; break;
      case 'a': buf_ += '\a'; break;
      case 'b': buf_ += '\b'; break;
      case 'f': buf_ += '\f'; break;
      case 'v': buf_ += '\v'; break;
      case '\n': break;
      case 'x': case 'u': case 'U': {
        std::size_t digits = n == 'x' ? 2 : n == 'u' ? 4 : 8;
        std::uint32_t cp = 0;
        auto [end, ec] = std::from_chars(t_.data() + pos_, t_.data() + std::min(t_.size(), pos_ + digits), cp, 16);
        if (ec != std::errc{} || end != t_.data() + pos_ + digits || cp > 0x10ffff)
          return err(std::string("bad \\") + n + " escape; it takes " + std::to_string(digits) + " hex digits");
        for (std::size_t i = 0; i < digits; ++i) advance();
        if (n == 'x') buf_ += static_cast<char>(cp);
        else put_utf8(buf_, cp);
        break;
      }
      default:
        if (n >= '0' && n <= '7') {
          std::uint32_t v = static_cast<std::uint32_t>(n - '0');
          for (int i = 0; i < 2 && pos_ < t_.size() && t_[pos_] >= '0' && t_[pos_] <= '7'; ++i) {
            v = v * 8 + static_cast<std::uint32_t>(t_[pos_] - '0');
            advance();
          }
          buf_ += static_cast<char>(v & 0xff);
        } else {  // Python keeps unknown escapes as written: '\d' is backslash-d
          buf_ += '\\';
          buf_ += n;
        }
    }
  }
  return err_at(sl, sc, std::string("unterminated string; close it with ") + q + " on the same line");
}

Result<PyValue> PyParser::string() {
  PyValue v = at_here(PyValue::Kind::string);
  buf_.clear();
  // Adjacent literals concatenate, as in Python: 'a' 'b' == 'ab'.
  for (;;) {
    bool raw = false;
    if (pos_ < t_.size() && (t_[pos_] == 'r' || t_[pos_] == 'R')) { raw = true; advance(); }
    else if (pos_ < t_.size() && (t_[pos_] == 'u' || t_[pos_] == 'U')) advance();
    if (auto r = string_body(raw); !r) return fail(r.error());
    std::size_t save = pos_, save_ls = line_start_;
    int save_line = line_;
    skip();
    bool more = pos_ < t_.size() && (t_[pos_] == '\'' || t_[pos_] == '"' ||
                                     ((t_[pos_] == 'r' || t_[pos_] == 'u' || t_[pos_] == 'R' || t_[pos_] == 'U') &&
                                      pos_ + 1 < t_.size() && (t_[pos_ + 1] == '\'' || t_[pos_ + 1] == '"')));
    if (!more) {
      pos_ = save;
      line_ = save_line;
      line_start_ = save_ls;
      break;
    }
  }
  v.text = buf_;
  return v;
}

Result<PyValue> PyParser::number() {
  PyValue v = at_here(PyValue::Kind::integer);
  bool neg = false;
  while (pos_ < t_.size() && (t_[pos_] == '-' || t_[pos_] == '+')) {
    if (t_[pos_] == '-') neg = !neg;
    advance();
    skip();
  }
  std::size_t start = pos_;
  while (pos_ < t_.size() && ((t_[pos_] >= '0' && t_[pos_] <= '9') || t_[pos_] == '_')) advance();
  if (pos_ < t_.size() && (t_[pos_] == '.' || t_[pos_] == 'e' || t_[pos_] == 'E' || t_[pos_] == 'x' || t_[pos_] == 'j'))
    return err("only decimal integers are supported; write other numbers as strings");
  std::string digits;
  for (std::size_t i = start; i < pos_; ++i)
    if (t_[i] != '_') digits += t_[i];
  std::uint64_t mag = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), mag);
  if (digits.empty()) return err_at(v.line, v.column, "expected digits after the sign");
  if (ec != std::errc{} || end != digits.data() + digits.size() || mag > static_cast<std::uint64_t>(INT64_MAX))
    return err_at(v.line, v.column, "integer out of range; write it as a string");
  v.integer = neg ? -static_cast<std::int64_t>(mag) : static_cast<std::int64_t>(mag);
  return v;
}

Result<PyValue> PyParser::name(int depth) {
  PyValue v = at_here(PyValue::Kind::none);
  std::size_t start = pos_;
  while (pos_ < t_.size() && is_name(t_[pos_])) advance();
  std::string word(t_.substr(start, pos_ - start));
  if (pos_ < t_.size() && (t_[pos_] == '\'' || t_[pos_] == '"') && (word == "r" || word == "u" || word == "R" || word == "U")) {
    pos_ = start;
    return string();
  }
  if (word == "True" || word == "False") {
    v.kind = PyValue::Kind::boolean;
    v.boolean = word == "True";
    return v;
  }
  if (word == "None") return v;
  skip();
  bool allowed = std::find(opt_.allowed_calls.begin(), opt_.allowed_calls.end(), word) != opt_.allowed_calls.end();
  if (allowed && pos_ < t_.size() && t_[pos_] == '(') {
    advance();
    PyValue args = at_here(PyValue::Kind::tuple);
    auto seq = sequence(depth, ')', args);
    if (!seq) return seq;
    v.kind = PyValue::Kind::call;
    v.text = word;
    if (seq->kind == PyValue::Kind::tuple) v.items = std::move(seq->items);
    else v.items.push_back(std::move(*seq));
    return v;
  }
  return err_at(v.line, v.column, "'" + word + "' is not a literal; eDeploy files are read as data, never run");
}

}  // namespace

std::string_view kind_name(PyValue::Kind k) {
  switch (k) {
    case PyValue::Kind::none: return "None";
    case PyValue::Kind::boolean: return "a boolean";
    case PyValue::Kind::integer: return "an integer";
    case PyValue::Kind::string: return "a string";
    case PyValue::Kind::list: return "a list";
    case PyValue::Kind::tuple: return "a tuple";
    case PyValue::Kind::dict: return "a dict";
    case PyValue::Kind::call: return "a call";
  }
  return "?";
}

Result<PyValue> parse_python_literal(std::string_view text, const std::string& file, const PyParseOptions& options) {
  if (text.size() > kMaxPythonLiteralBytes)
    return fail(file + ": " + std::to_string(text.size()) + " bytes exceed the limit of " + std::to_string(kMaxPythonLiteralBytes));
  return PyParser(text, file, options).document();
}

}  // namespace ingot::hwmatch
