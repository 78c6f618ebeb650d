#include "hwmatch/ip_network.h"

#include <arpa/inet.h>

#include <charconv>

namespace ingot::hwmatch {
namespace {

// Longest textual IPv6 address with an embedded IPv4 tail, plus a terminator.
constexpr std::size_t kMaxAddressText = 46;

bool prefix_bits_match(const IpAddress& a, const IpAddress& b, int prefix) {
  int full = prefix / 8;
  for (int i = 0; i < full; ++i)
    if (a.bytes[i] != b.bytes[i]) return false;
  int rest = prefix % 8;
  if (rest == 0) return true;
  std::uint8_t mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a.bytes[full] & mask) == (b.bytes[full] & mask);
}

}  // namespace

bool parse_ip_address(std::string_view text, IpAddress& out) {
  if (auto slash = text.find('/'); slash != std::string_view::npos) text = text.substr(0, slash);
  if (auto zone = text.find('%'); zone != std::string_view::npos) text = text.substr(0, zone);
  if (text.empty() || text.size() >= kMaxAddressText) return false;
  char buf[kMaxAddressText];
  text.copy(buf, text.size());
  buf[text.size()] = '\0';
  out = IpAddress{};
  if (inet_pton(AF_INET, buf, out.bytes.data()) == 1) {
    out.family = 4;
    return true;
  }
  if (inet_pton(AF_INET6, buf, out.bytes.data()) == 1) {
    out.family = 6;
    return true;
  }
  return false;
}

Result<IpNetwork> IpNetwork::parse(std::string_view cidr) {
  const std::string shown(cidr);
  auto slash = cidr.find('/');
  if (slash == std::string_view::npos)
    return fail("'" + shown + "' has no prefix length; write ADDRESS/PREFIX, e.g. 10.0.0.0/24 or fd00::/64");
  std::string_view addr = cidr.substr(0, slash), len = cidr.substr(slash + 1);
  IpNetwork net;
  if (addr.find('%') != std::string_view::npos || !parse_ip_address(addr, net.base_))
    return fail("'" + std::string(addr) + "' is not an IPv4 or IPv6 address");
  int max = net.base_.family == 4 ? 32 : 128;
  auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), net.prefix_);
  if (len.empty() || ec != std::errc{} || end != len.data() + len.size() || net.prefix_ < 0 || net.prefix_ > max)
    return fail("prefix length '" + std::string(len) + "' must be a number from 0 to " + std::to_string(max));
  IpAddress masked = net.base_;
  for (int bit = net.prefix_; bit < max; ++bit) masked.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80 >> (bit % 8)));
  if (masked.bytes != net.base_.bytes) {
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(max == 32 ? AF_INET : AF_INET6, masked.bytes.data(), text, sizeof text);
    return fail("'" + shown + "' has host bits set; did you mean " + text + "/" + std::to_string(net.prefix_) + "?");
  }
  return net;
}

bool IpNetwork::contains(const IpAddress& a) const {
  return a.family == base_.family && prefix_bits_match(a, base_, prefix_);
}

bool IpNetwork::contains(std::string_view address) const {
  IpAddress a;
  return parse_ip_address(address, a) && contains(a);
}

}  // namespace ingot::hwmatch
