// Fuzz target: BMC address parsing (operator and API input) never crashes, accepts only what
// fits IPMI's limits, and what it prints as the endpoint parses back to the same host and port.
#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>

#include "provisioner/power/bmc_address.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto a = ingot::power::parse_bmc_address(text);
  if (!a) {
    assert(!a.error().message().empty());
    return 0;
  }
  assert(!a->user.empty() && a->user.size() <= ingot::power::kMaxBmcUserLength);
  assert(a->password.size() <= ingot::power::kMaxBmcPasswordLength);
  assert(!a->host.empty() && a->port != 0);
  auto again = ingot::power::parse_bmc_address("ipmi://u@" + a->endpoint());
  assert(again && again->host == a->host && again->port == a->port);
  return 0;
}
