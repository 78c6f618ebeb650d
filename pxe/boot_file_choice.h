// Which boot file a DHCP client is told to load, by firmware type (RFC 4578 client arch) and
// whether it already runs iPXE: BIOS → undionly.kpxe over TFTP, UEFI x64 → ipxe.efi over TFTP,
// UEFI HTTP boot → ipxe.efi over HTTP, iPXE → the HTTP boot script. Handing iPXE its script
// rather than an iPXE binary is what stops it chain-loading itself forever.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "pxe/boot_policy.h"
#include "pxe/dhcp_ipv4.h"

namespace ingot::pxe {

struct BootFileConfig {
  Ipv4 server = 0;                     // next-server (siaddr) and the host in URLs
  std::uint16_t http_port = 8080;
  std::string bios_file = "undionly.kpxe";
  std::string uefi_file = "ipxe.efi";  // snponly.efi works too where the NIC has a UEFI driver
  std::string script_path = "/boot.ipxe";
};

struct BootFile {
  std::string name;        // TFTP path or URL
  Ipv4 next_server = 0;    // always set: iPXE ignores ProxyDHCP replies without it
  bool http = false;       // an HTTP URL (UEFI HTTP boot clients need "HTTPClient" echoed)
};

// nullopt when the machine gets no boot file: the policy says silent, or the architecture has
// no iPXE build we serve (e.g. arm64).
std::optional<BootFile> choose_boot_file(const Machine& machine, BootDecision::Action action,
                                         const BootFileConfig& config);

}  // namespace ingot::pxe
