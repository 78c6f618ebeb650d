// The boot policy seam: the boot plane asks "what should this machine boot?" and never knows
// why. A static JSON policy implements it today; the provisioner implements it later.
// DHCP, TFTP and HTTP call it on the network thread: decide() must be fast and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pxe/mac_address.h"

namespace ingot::pxe {

// RFC 4578 §2.1 client system architecture (DHCP option 93), the values seen in the field.
enum class ClientArch : std::uint16_t {
  bios = 0,       // x86 BIOS
  efi_ia32 = 6,
  efi_x64 = 7,
  efi_bc = 9,     // EFI byte code; x64 firmware in the wild sends 9 where it means 7
  efi_arm64 = 11,
  efi_x64_http = 16,
};

inline bool is_uefi(ClientArch a) { return a != ClientArch::bios; }

// What the boot plane knows about a machine when it asks.
struct Machine {
  MacAddress mac;
  std::optional<std::string> uuid;  // SMBIOS UUID from option 97, "xxxxxxxx-xxxx-..." lowercase
  ClientArch arch = ClientArch::bios;
  bool ipxe = false;                // user-class "iPXE" (option 77): already running iPXE
};

struct BootDecision {
  enum class Action {
    boot,        // network-boot kernel + initrds with cmdline
    local_disk,  // answer, but tell iPXE to boot the local disk (exit / sanboot)
    silent,      // not ours: do not answer DHCP, 404 the script
  };
  Action action = Action::silent;
  std::string kernel;                // URL, or path relative to the HTTP root
  std::vector<std::string> initrds;  // same
  std::string cmdline;               // kernel command line (without initrd=, added for UEFI)
};

class BootPolicy {
 public:
  virtual ~BootPolicy() = default;
  virtual BootDecision decide(const Machine& machine) = 0;
};

}  // namespace ingot::pxe
