// What a DHCP request says about the machine behind it: PXE or not, client architecture
// (RFC 4578 §2.1 option 93, else the "PXEClient:Arch:xxxxx" vendor class), the machine UUID
// (RFC 4578 §2.3 option 97) and whether it is already iPXE (user class, RFC 3004 option 77).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pxe/boot_policy.h"
#include "pxe/dhcp_packet.h"

namespace ingot::pxe {

struct DhcpClientInfo {
  MacAddress mac;
  bool pxe = false;          // vendor class starts with "PXEClient"
  bool http_client = false;  // vendor class starts with "HTTPClient" (UEFI HTTP boot)
  bool ipxe = false;         // user class "iPXE"
  std::uint16_t arch = 0;    // raw option 93 value (first entry); 0 (BIOS) when absent
  std::optional<std::string> uuid;                  // lowercase 8-4-4-4-12
  std::optional<std::vector<std::uint8_t>> guid;    // option 97 as received, echoed in PXE replies
  std::vector<std::string> user_classes;

  Machine machine() const;
};

DhcpClientInfo client_info(const DhcpPacket& request);

// RFC 3004 user classes are length-prefixed; iPXE (and others) send one bare string. A value
// that does not parse as a clean RFC 3004 list is taken as one bare string.
std::vector<std::string> parse_user_classes(const std::vector<std::uint8_t>& value);

// Option 97's GUID in the canonical text form. The first three fields are sent little-endian
// (SMBIOS 2.6+ / EFI GUID byte order), as iPXE and EDK2 both do, so the text matches
// /sys/class/dmi/id/product_uuid and iPXE's ${uuid}.
std::optional<std::string> guid_to_uuid(const std::vector<std::uint8_t>& option97);

}  // namespace ingot::pxe
