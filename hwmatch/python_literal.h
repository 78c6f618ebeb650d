// A safe reader for the Python literal syntax of eDeploy's configuration files (.specs, .cmdb,
// state): strings in both quote styles with escapes and r/u prefixes, integers, tuples, lists,
// dicts, True/False/None, `#` comments. It is a parser, never an evaluator: anything else
// (names, operators, floats, calls other than the allowed ones) is an error naming line:col.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ingot::hwmatch {

// A large eDeploy CMDB (thousands of hosts, a dozen keys each) is a few MiB.
inline constexpr std::size_t kMaxPythonLiteralBytes = 16 * 1024 * 1024;
// Real files nest three deep (list of dicts of tuples); the bound keeps recursion shallow.
inline constexpr int kMaxPythonLiteralDepth = 64;

struct PyEntry;

struct PyValue {
  enum class Kind { none, boolean, integer, string, list, tuple, dict, call };
  Kind kind = Kind::none;
  bool boolean = false;
  std::int64_t integer = 0;
  std::string text;                               // string value, or the called function's name
  std::vector<PyValue> items;                     // list, tuple, call arguments
  std::vector<PyEntry> dict;                      // in file order
  int line = 1, column = 1;

  bool is_string() const { return kind == Kind::string; }
  bool is_sequence() const { return kind == Kind::list || kind == Kind::tuple; }
};

struct PyEntry {
  PyValue key;
  PyValue value;
};

std::string_view kind_name(PyValue::Kind k);

struct PyParseOptions {
  // Function calls kept as data (e.g. eDeploy's generate({...}) in a CMDB); never evaluated.
  std::vector<std::string> allowed_calls;
};

Result<PyValue> parse_python_literal(std::string_view text, const std::string& file, const PyParseOptions& options = {});

}  // namespace ingot::hwmatch
