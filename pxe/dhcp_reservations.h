// Static DHCP reservations from a small text file, one "MAC ADDRESS" pair per line, '#'
// comments, like dnsmasq's dhcp-hostsfile:
//   52:54:00:12:34:56 198.18.0.10   # rack 3, node 1
#pragma once

#include <filesystem>
#include <map>
#include <string_view>

#include "common/result.h"
#include "pxe/dhcp_ipv4.h"
#include "pxe/mac_address.h"

namespace ingot::pxe {

// Reservation files are hand-written: a few thousand lines at most.
inline constexpr std::size_t kMaxReservations = 65536;

// Errors name the source, the line and what is wrong with it. One MAC per address and one
// address per MAC.
Result<std::map<MacAddress, Ipv4>> parse_reservations(std::string_view text, std::string_view source);
Result<std::map<MacAddress, Ipv4>> load_reservations(const std::filesystem::path& file);

}  // namespace ingot::pxe
