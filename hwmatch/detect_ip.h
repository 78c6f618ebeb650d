// Interface addresses from procfs text, so a captured tree and the live machine are read
// the same way (no getifaddrs()): IPv4 from /proc/net/route (an interface's connected
// networks) joined with /proc/net/fib_trie (the machine's local addresses), IPv6 from
// /proc/net/if_inet6. Pure parsers over text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ingot::hwmatch {

struct InterfaceAddress {
  std::string iface;
  int family = 4;           // 4 or 6
  std::string address;      // "198.18.10.2", "fd00::2"
  unsigned prefix = 0;      // 24, 64
  std::string network;      // "198.18.10.0", "fd00::"
  std::string netmask;      // IPv4 only: "255.255.255.0"
};

// Lines past these limits are ignored: route tables and tries of a deploy host are small.
inline constexpr std::size_t kMaxRouteLines = 65536;

// An address belongs to an interface when one of its connected (gateway-less) routes
// contains it. Two interfaces on one subnet both get the address: procfs cannot tell them
// apart (documented limitation).
std::vector<InterfaceAddress> ipv4_addresses(std::string_view proc_net_route, std::string_view proc_net_fib_trie);
// Global and site scope only: link-local addresses identify nothing.
std::vector<InterfaceAddress> ipv6_addresses(std::string_view proc_net_if_inet6);

}  // namespace ingot::hwmatch
