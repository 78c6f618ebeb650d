// Error codes of the power plane (BMC address parsing, drivers, the BMC call scheduler), as a
// std::error_category so callers can branch on the kind while the context carries the BMC.
#pragma once

#include <string>
#include <system_error>

#include "common/error_category.h"

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

// Each code's text; nullptr for a number the enum does not name.
const char* error_message(PowerErrc e);
inline std::error_code make_error_code(PowerErrc e) { return enum_error_code<"ingot.power">(e); }

}  // namespace ingot::power

template <>
struct std::is_error_code_enum<ingot::power::PowerErrc> : std::true_type {};
