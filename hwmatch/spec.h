// A role's hardware spec: lines of [class, name, key, value] where each field is a literal, a
// variable ($name binds, $$name binds and exports to the role's config), a test (gt(100),
// network(10.0.0.0/8), and(...)...), or both ($size=gt(100)). Variables are numbered at parse
// time so matching works on small arrays, never on names.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hwmatch/spec_expr.h"

namespace ingot::hwmatch {

// Input limits, checked while parsing an operator's file (or a fuzzer's bytes).
// Real specs are tens of lines; eDeploy's largest published ones are under a hundred.
inline constexpr std::size_t kMaxSpecBytes = 1024 * 1024;
inline constexpr std::size_t kMaxSpecLines = 4096;
inline constexpr std::size_t kMaxSpecLineLength = 4096;
// Nesting like not(and(or(...))) rarely goes past 3; 16 keeps recursion shallow on hostile input.
inline constexpr int kMaxExprDepth = 16;
// std::regex matches recursively; short patterns keep its stack use bounded.
inline constexpr std::size_t kMaxRegexLength = 512;
inline constexpr std::size_t kMaxSpecVariables = 256;
inline constexpr std::size_t kMaxInItems = 1024;

struct SpecField {
  bool is_literal = true;
  std::string literal;       // the exact value, when is_literal
  int var = -1;              // index into Spec::vars, or -1
  std::optional<Expr> test;  // a test the value must pass (alone, or before binding var)
  std::string source;        // as written
};

struct SpecLine {
  std::array<SpecField, 4> fields;  // class, name, key, value
  int line = 0;                     // 1-based position in the source file
  int column = 1;
  std::string text;                 // the line as written, for explanations
  // Facts are indexed by (class, key); a line whose class and key are literals only looks at
  // that bucket. bucket_hash is 0 when either one is a variable or a test.
  std::uint64_t bucket_hash = 0;
};

struct Spec {
  std::string file;  // where it came from, for messages
  std::vector<SpecLine> lines;
  std::vector<std::string> vars;  // variable names, without '$'
  std::vector<bool> exported;     // written $$name at least once
  // Adds (or finds) a variable; nullopt when kMaxSpecVariables is reached.
  std::optional<int> intern(std::string_view name, bool exported);
};

// FNV-1a over class, a separator and key; shared by specs and the fact index.
std::uint64_t bucket_hash(std::string_view cls, std::string_view key);

// Sets line.bucket_hash from its class and key fields.
void assign_bucket(SpecLine& line);

// "file:line:col" prefix of every spec error.
std::string spec_location(std::string_view file, int line, int column);

}  // namespace ingot::hwmatch
