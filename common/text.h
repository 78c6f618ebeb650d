// Small text helpers for parsers across components: blanks around values, hex digits.
#pragma once

#include <string_view>

namespace ingot {

// Without the spaces and tabs at either end: HTTP's optional whitespace around a field value
// (RFC 9110 §5.6.3), and the blanks around a value in ingot's own line formats. Other
// whitespace (CR, LF, NUL) is kept: where it may appear, the format says what it means.
inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value of one hexadecimal digit, either case; -1 for any other character.
constexpr int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace ingot
