// Ethernet MAC address: parse "52:54:00:12:34:56" (also '-' separated, any case), print lowercase.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ingot::pxe {

struct MacAddress {
  std::array<std::uint8_t, 6> bytes{};

  static std::optional<MacAddress> parse(std::string_view text);
  std::string to_string() const;
  auto operator<=>(const MacAddress&) const = default;
};

}  // namespace ingot::pxe
