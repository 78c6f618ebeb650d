// iPXE boot scripts (https://ipxe.org/scripting) and the machine identity iPXE reports back.
// chain_script() makes iPXE re-request /boot.ipxe with its own settings expanded
// (${mac:hexhyp}, ${uuid}, ${platform}, ${buildarch}: https://ipxe.org/cfg);
// machine_from_query() reads them back; boot_script() renders the policy's decision.
// Pure functions: no I/O, no clock.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "pxe/boot_policy.h"

namespace ingot::pxe {

// Linux's x86 COMMAND_LINE_SIZE is 2048; 4096 leaves room for other kernels while keeping a
// policy mistake (a pasted file) from producing a megabyte script line.
inline constexpr std::size_t kMaxScriptLine = 4096;

// The query string the chain script asks iPXE to send.
inline constexpr std::string_view kIdentityQuery =
    "mac=${mac:hexhyp}&uuid=${uuid}&platform=${platform}&buildarch=${buildarch}";

// The identity as sent: each value may be absent or empty (iPXE expands an unset setting
// to ""). mac is hexhyp ("52-54-00-12-34-56") or colon separated.
struct IpxeIdentity {
  std::string_view mac;
  std::string_view uuid;
  std::string_view platform;   // pcbios | efi
  std::string_view buildarch;  // i386 | x86_64 | arm32 | arm64
};

// Errors name the bad field. Unset platform means BIOS (pre-2012 iPXE has no ${platform}).
Result<Machine> machine_from_identity(const IpxeIdentity& id);

// "#!ipxe\nchain http://host/boot.ipxe?mac=${mac:hexhyp}&...\n"
std::string chain_script(std::string_view base_url);

// boot: kernel + initrds + boot (UEFI gets initrd=<name> per initrd on the kernel command
// line: the EFI stub finds initrds by name); local_disk: exit on UEFI, sanboot 0x80 on BIOS.
// Fails for silent (no script) and for decisions a script cannot carry safely (control
// characters would inject script lines; lines above kMaxScriptLine).
Result<std::string> boot_script(const BootDecision& decision, ClientArch arch, std::string_view base_url);

// A policy path relative to the HTTP root becomes base_url + "/" + path (percent-encoding
// what a URL cannot carry); absolute URLs ("scheme://...") pass through.
std::string resolve_url(std::string_view base_url, std::string_view path);

}  // namespace ingot::pxe
