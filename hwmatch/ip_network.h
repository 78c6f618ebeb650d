// An IPv4 or IPv6 network (CIDR) for the spec language's network() test, e.g. 10.0.0.0/24 or
// fd00:1::/64 (RFC 4632 section 3.1 prefix notation, RFC 4291 section 2.3 for IPv6).
// Parsing is strict, like Python's ipaddress: host bits set after the prefix are an error,
// because `10.0.0.1/24` in a spec is almost always a typo for the network.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ingot::hwmatch {

struct IpAddress {
  int family = 0;  // 4 or 6
  std::array<std::uint8_t, 16> bytes{};
};

// Accepts "10.0.0.5", "10.0.0.5/24" (the prefix of a fact's address is ignored), "fe80::1%eth0".
bool parse_ip_address(std::string_view text, IpAddress& out);

class IpNetwork {
 public:
  static Result<IpNetwork> parse(std::string_view cidr);
  bool contains(std::string_view address) const;
  bool contains(const IpAddress& address) const;
  int family() const { return base_.family; }
  int prefix() const { return prefix_; }

 private:
  IpAddress base_;
  int prefix_ = 0;
};

}  // namespace ingot::hwmatch
