// IPMI power driver over FreeIPMI's libfreeipmi: RMCP+ (IPMI 2.0 lanplus) sessions at ADMINISTRATOR
// privilege, Chassis Control / Get Chassis Status (IPMI 2.0 §28.2-28.3) and the boot-flags
// parameter of Set System Boot Options (§28.12-28.13, parameter 5). FreeIPMI stays in the .cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "provisioner/power/power_driver.h"

namespace ingot::power {

struct IpmiOptions {
  // How long one try waits for the BMC. FreeIPMI's default is 20 s, which with a few unreachable
  // BMCs keeps every worker busy for minutes; a live BMC answers in well under a second.
  std::chrono::milliseconds timeout{2000};
  // Resend interval inside one try (UDP loses packets; BMCs drop requests under load).
  std::chrono::milliseconds retransmit{500};
  // Fresh sessions tried before giving up on an unreachable or busy BMC.
  int tries = 3;
  // 3 = RAKP-HMAC-SHA1 / HMAC-SHA1-96 / AES-CBC-128: the suite every IPMI 2.0 BMC must offer.
  std::uint8_t cipher_suite = 3;
  // FreeIPMI prints every packet, decoded, to stderr (operator debugging).
  bool debug_dump = false;
};

std::unique_ptr<PowerDriver> make_ipmi_driver(BmcAddress bmc, IpmiOptions options = {});
PowerDriverFactory ipmi_driver_factory(IpmiOptions options = {});

}  // namespace ingot::power
