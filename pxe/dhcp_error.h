// Error codes of the DHCPv4 codec and server (RFC 2131/2132), with their std::error_category,
// so a bad packet is reported as "dhcp: option 53 truncated" rather than a bare errno.
#pragma once

#include <string>
#include <system_error>

#include "common/error_category.h"

namespace ingot::pxe {

enum class DhcpError {
  truncated = 1,        // shorter than the fixed BOOTP header + magic cookie
  too_large,            // longer than we accept, or an encoding that cannot fit
  bad_op,               // op is neither BOOTREQUEST nor BOOTREPLY
  bad_hardware,         // hlen larger than chaddr
  bad_magic,            // not the RFC 2131 magic cookie: plain BOOTP or garbage
  option_truncated,     // an option's length runs past its area
  too_many_options,     // more option instances than kMaxOptionInstances
  option_too_long,      // an option's concatenated value exceeds kMaxOptionValue
  bad_overload,         // option 52 with a value other than 1, 2 or 3
  bad_message_type,     // option 53 missing, wrong length or unknown
  bad_option_value,     // a known option with a value of the wrong shape
};

// Each code's text; nullptr for a number the enum does not name.
const char* error_message(DhcpError e);
inline std::error_code make_error_code(DhcpError e) { return enum_error_code<"dhcp">(e); }

}  // namespace ingot::pxe

template <>
struct std::is_error_code_enum<ingot::pxe::DhcpError> : std::true_type {};
