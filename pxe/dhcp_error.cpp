#include "pxe/dhcp_error.h"

#include "pxe/dhcp_ipv4.h"

#include <charconv>

namespace ingot::pxe {
namespace {

class DhcpCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "dhcp"; }
  std::string message(int code) const override {
    switch (static_cast<DhcpError>(code)) {
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
    return "unknown dhcp error";
  }
};

}  // namespace

const std::error_category& dhcp_category() {
  static const DhcpCategory category;
  return category;
}

std::optional<Ipv4> parse_ipv4(std::string_view text) {
  Ipv4 out = 0;
  for (int i = 0; i < 4; ++i) {
    unsigned part = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), part);
    std::size_t used = static_cast<std::size_t>(end - text.data());
    if (ec != std::errc{} || used == 0 || used > 3 || part > 255) return std::nullopt;
    out = out << 8 | part;
    text.remove_prefix(used);
    if (i < 3) {
      if (text.empty() || text.front() != '.') return std::nullopt;
      text.remove_prefix(1);
    }
  }
  if (!text.empty()) return std::nullopt;
  return out;
}

std::string ipv4_to_string(Ipv4 a) {
  return std::to_string(a >> 24) + "." + std::to_string(a >> 16 & 0xff) + "." + std::to_string(a >> 8 & 0xff) + "." +
         std::to_string(a & 0xff);
}

}  // namespace ingot::pxe
