#include "provisioner/power/power_error.h"

namespace ingot::power {

const char* error_message(PowerErrc e) {
  switch (e) {
    case PowerErrc::bad_address: return "malformed BMC address";
    case PowerErrc::unreachable: return "BMC did not answer";
    case PowerErrc::auth_failed: return "BMC authentication failed";
    case PowerErrc::no_privilege: return "BMC user lacks the privilege";
    case PowerErrc::unsupported: return "not supported by the BMC";
    case PowerErrc::bmc_error: return "BMC returned an error";
    case PowerErrc::busy: return "too many calls queued for the BMC";
    case PowerErrc::stopped: return "power service stopped";
    case PowerErrc::internal: return "internal power-control error";
  }
  return nullptr;
}

}  // namespace ingot::power
