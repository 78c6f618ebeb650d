#include "hwmatch/detect_ip.h"

#include <arpa/inet.h>
#include <array>
#include <cstdint>
#include <set>
#include <sstream>

#include "hwmatch/sysfs_root.h"

namespace ingot::hwmatch {
namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty() && out.size() < kMaxRouteLines) {
    auto nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
  }
  return out;
}

std::vector<std::string> fields_of(std::string_view line) {
  std::vector<std::string> f;
  std::istringstream in{std::string(line)};
  for (std::string w; in >> w;) f.push_back(w);
  return f;
}

std::string v4_text(std::uint32_t host_order) {
  in_addr a{htonl(host_order)};
  char buf[INET_ADDRSTRLEN];
  return inet_ntop(AF_INET, &a, buf, sizeof buf) ? buf : "";
}

std::optional<std::uint32_t> v4_parse(std::string_view s) {
  in_addr a{};
  if (inet_pton(AF_INET, std::string(s).c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

// /proc/net/route prints addresses as the raw in-memory u32 in hex: network byte order
// read as a little-endian number on x86 ("0102A8C0" is 192.168.2.1).
std::optional<std::uint32_t> route_hex(const std::string& s) {
  auto v = parse_u64(s, 16);
  if (!v || *v > 0xFFFFFFFFu) return std::nullopt;
  return ntohl(static_cast<std::uint32_t>(*v));  // the in-memory value is big-endian
}

unsigned prefix_of(std::uint32_t mask) {
  unsigned n = 0;
  while (n < 32 && (mask & (0x80000000u >> n))) ++n;
  return n;
}

}  // namespace

std::vector<InterfaceAddress> ipv4_addresses(std::string_view route, std::string_view fib_trie) {
  // Local addresses: a trie leaf "|-- 198.18.10.2" followed by "/32 host LOCAL".
  std::set<std::uint32_t> local;
  auto trie = lines_of(fib_trie);
  for (std::size_t i = 0; i + 1 < trie.size(); ++i) {
    std::string leaf = trim(trie[i]);
    if (!leaf.starts_with("|-- ")) continue;
    if (trim(trie[i + 1]).find("/32 host LOCAL") == std::string::npos) continue;
    if (auto a = v4_parse(std::string_view(leaf).substr(4))) local.insert(*a);
  }
  std::vector<InterfaceAddress> out;
  auto rl = lines_of(route);
  for (std::size_t i = 1; i < rl.size(); ++i) {  // line 0 is the header
    auto f = fields_of(rl[i]);
    if (f.size() < 8) continue;
    auto dest = route_hex(f[1]), gw = route_hex(f[2]), mask = route_hex(f[7]);
    if (!dest || !gw || !mask || *gw != 0 || *mask == 0 || *mask == 0xFFFFFFFFu) continue;
    for (std::uint32_t a : local) {
      if ((a & *mask) != *dest) continue;
      out.push_back(InterfaceAddress{f[0], 4, v4_text(a), prefix_of(*mask), v4_text(*dest), v4_text(*mask)});
    }
  }
  return out;
}

std::vector<InterfaceAddress> ipv6_addresses(std::string_view if_inet6) {
  std::vector<InterfaceAddress> out;
  for (auto line : lines_of(if_inet6)) {
    auto f = fields_of(line);
    if (f.size() < 6 || f[0].size() != 32) continue;
    auto prefix = parse_u64(f[2], 16), scope = parse_u64(f[3], 16);
    if (!prefix || *prefix > 128 || !scope) continue;
    if (*scope != 0x00 && *scope != 0x40) continue;  // global, site; not host/link
    std::array<std::uint8_t, 16> addr{}, net{};
    bool good = true;
    for (std::size_t i = 0; i < 16 && good; ++i) {
      auto b = parse_u64(std::string_view(f[0]).substr(i * 2, 2), 16);
      good = b.has_value();
      addr[i] = static_cast<std::uint8_t>(b.value_or(0));
    }
    if (!good) continue;
    for (unsigned i = 0; i < 16; ++i) {
      unsigned bits = *prefix > i * 8 ? std::min<unsigned>(8, static_cast<unsigned>(*prefix) - i * 8) : 0;
      net[i] = static_cast<std::uint8_t>(addr[i] & (0xFF00u >> bits));
    }
    char a[INET6_ADDRSTRLEN], n[INET6_ADDRSTRLEN];
    if (!inet_ntop(AF_INET6, addr.data(), a, sizeof a) || !inet_ntop(AF_INET6, net.data(), n, sizeof n)) continue;
    out.push_back(InterfaceAddress{f[5], 6, a, static_cast<unsigned>(*prefix), n, {}});
  }
  return out;
}

}  // namespace ingot::hwmatch
