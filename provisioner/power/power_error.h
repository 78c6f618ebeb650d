// Error codes of the power plane (BMC address parsing, drivers, the BMC call scheduler), as a
// std::error_category so callers can branch on the kind while the context carries the BMC.
#pragma once

#include <string>
#include <system_error>

namespace ingot::power {

enum class PowerErrc {
  bad_address = 1,  // the ipmi://USER:PASS@HOST[:PORT] text is malformed
  unreachable,      // no answer within the tries and timeouts
  auth_failed,      // wrong user or password
  no_privilege,     // the user exists but may not control power
  unsupported,      // the BMC does not offer what we asked (lanplus, cipher suite, command)
  bmc_error,        // the BMC answered with an error completion code
  busy,             // too many calls queued for one BMC
  stopped,          // the power service shut down before the call ran
  internal,         // library or system failure on our side
};

const std::error_category& power_category();

inline std::error_code make_error_code(PowerErrc e) { return {static_cast<int>(e), power_category()}; }

}  // namespace ingot::power

template <>
struct std::is_error_code_enum<ingot::power::PowerErrc> : std::true_type {};
