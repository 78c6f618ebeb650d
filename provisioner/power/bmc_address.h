// A BMC's address and credentials, parsed from `ipmi://USER[:PASS]@HOST[:PORT]` (RFC 3986
// authority syntax: percent-escapes in user and password, IPv6 hosts in brackets).
// The password is a secret: nothing here prints it, and no error text ever contains it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ingot::power {

// RMCP/RMCP+ listen on UDP 623 (IPMI 2.0 §13.1.4); simulators and port-forwarded BMCs use others.
inline constexpr std::uint16_t kIpmiDefaultPort = 623;
// IPMI 2.0 user names are at most 16 bytes (Set User Name, §22.28): longer can never log in.
inline constexpr std::size_t kMaxBmcUserLength = 16;
// IPMI 2.0 passwords are at most 20 bytes (Set User Password, §22.30, 20-byte RAKP keys).
inline constexpr std::size_t kMaxBmcPasswordLength = 20;
// A DNS name is at most 253 characters (RFC 1035 §2.3.4).
inline constexpr std::size_t kMaxBmcHostLength = 253;
// Anything longer than this is not a BMC address; bounds the work on hostile input.
inline constexpr std::size_t kMaxBmcAddressLength = 512;

struct BmcAddress {
  std::string user;
  std::string password;  // secret: never log, print or put in an error
  bool has_password = false;
  std::string host;  // DNS name, IPv4, or IPv6 without brackets
  std::uint16_t port = kIpmiDefaultPort;

  // "10.0.0.5:623" or "[fe80::1]:623": names the BMC in messages; also what FreeIPMI dials.
  std::string endpoint() const;
  // "ipmi://admin:***@10.0.0.5:623": safe to log or show.
  std::string redacted() const;
};

// Parses an ipmi:// URL. Errors say what is wrong and how to write it, never echo the password.
Result<BmcAddress> parse_bmc_address(std::string_view url);

// Gives an address without a password the operator's default one (INGOT_BMC_PASSWORD).
Result<void> apply_default_password(BmcAddress& bmc, const std::optional<std::string>& password);

}  // namespace ingot::power
