// IPv4 addresses as host-order integers for the DHCP code: arithmetic over ranges and masks is
// the common operation, so a plain uint32_t beats a class. Text form is dotted quad.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ingot::pxe {

using Ipv4 = std::uint32_t;  // host byte order; 0 means "none" as in the BOOTP header

std::optional<Ipv4> parse_ipv4(std::string_view text);
std::string ipv4_to_string(Ipv4 a);

inline bool same_subnet(Ipv4 a, Ipv4 b, Ipv4 mask) { return (a & mask) == (b & mask); }
inline bool is_loopback(Ipv4 a) { return (a >> 24) == 127; }

}  // namespace ingot::pxe
