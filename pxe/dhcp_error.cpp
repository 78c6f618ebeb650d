#include "pxe/dhcp_error.h"

namespace ingot::pxe {

const char* error_message(DhcpError e) {
  switch (e) {
    case DhcpError::truncated: return "packet shorter than the BOOTP header";
    case DhcpError::too_large: return "packet too large";
    case DhcpError::bad_op: return "op is not BOOTREQUEST/BOOTREPLY";
    case DhcpError::bad_hardware: return "hardware address length over 16";
    case DhcpError::bad_magic: return "no DHCP magic cookie";
    case DhcpError::option_truncated: return "option runs past the end of its area";
    case DhcpError::too_many_options: return "too many options";
    case DhcpError::option_too_long: return "option value too long";
    case DhcpError::bad_overload: return "bad option overload (52) value";
    case DhcpError::bad_message_type: return "missing or invalid DHCP message type (53)";
    case DhcpError::bad_option_value: return "option value has the wrong shape";
  }
  return nullptr;
}

}  // namespace ingot::pxe
