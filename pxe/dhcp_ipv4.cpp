#include "pxe/dhcp_ipv4.h"

#include <charconv>

namespace ingot::pxe {

std::optional<Ipv4> parse_ipv4(std::string_view text) {
  Ipv4 out = 0;
  for (int i = 0; i < 4; ++i) {
    unsigned part = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), part);
    std::size_t used = static_cast<std::size_t>(end - text.data());
    if (ec != std::errc{} || used == 0 || used > 3 || part > 255) return std::nullopt;
    out = out << 8 | part;
    text.remove_prefix(used);
    if (i < 3) {
      if (text.empty() || text.front() != '.') return std::nullopt;
      text.remove_prefix(1);
    }
  }
  if (!text.empty()) return std::nullopt;
  return out;
}

std::string ipv4_to_string(Ipv4 a) {
  return std::to_string(a >> 24) + "." + std::to_string(a >> 16 & 0xff) + "." + std::to_string(a >> 8 & 0xff) + "." +
         std::to_string(a & 0xff);
}

}  // namespace ingot::pxe
