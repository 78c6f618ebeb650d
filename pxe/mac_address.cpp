#include "pxe/mac_address.h"

#include "common/text.h"

namespace ingot::pxe {

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
  if (text.size() != 17) return std::nullopt;
  MacAddress mac;
  for (std::size_t i = 0; i < 6; ++i) {
    int hi = hex_digit_value(text[i * 3]), lo = hex_digit_value(text[i * 3 + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    if (i < 5 && text[i * 3 + 2] != ':' && text[i * 3 + 2] != '-') return std::nullopt;
    mac.bytes[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return mac;
}

std::string MacAddress::to_string() const {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(17);
  for (std::size_t i = 0; i < 6; ++i) {
    if (i) s.push_back(':');
    s.push_back(digits[bytes[i] >> 4]);
    s.push_back(digits[bytes[i] & 0xf]);
  }
  return s;
}

}  // namespace ingot::pxe
