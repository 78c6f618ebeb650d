// Enum ⇄ name tables for values kept as text (SQLite columns, JSON fields): one table per enum,
// looked up both ways, so a name cannot drift between writing and reading.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace ingot {

template <typename E, std::size_t N>
using EnumNames = std::array<std::pair<E, std::string_view>, N>;

template <typename E, std::size_t N>
constexpr std::string_view enum_name(const EnumNames<E, N>& names, E v) {
  for (auto& [value, name] : names)
    if (value == v) return name;
  return "?";
}

template <typename E, std::size_t N>
constexpr std::optional<E> enum_from_name(const EnumNames<E, N>& names, std::string_view s) {
  for (auto& [value, name] : names)
    if (name == s) return value;
  return std::nullopt;
}

}  // namespace ingot
