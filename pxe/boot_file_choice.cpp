#include "pxe/boot_file_choice.h"

namespace ingot::pxe {

std::optional<BootFile> choose_boot_file(const Machine& machine, BootDecision::Action action,
                                         const BootFileConfig& config) {
  if (action == BootDecision::Action::silent) return std::nullopt;
  std::string http_base = "http://" + ipv4_to_string(config.server) + ":" + std::to_string(config.http_port);
  BootFile f;
  f.next_server = config.server;
  // local_disk also goes to the script: it is the script that tells iPXE to boot the disk.
  if (machine.ipxe) {
    f.name = http_base + config.script_path;
    f.http = true;
    return f;
  }
  switch (machine.arch) {
    case ClientArch::bios:
      f.name = config.bios_file;
      return f;
    case ClientArch::efi_x64:
    case ClientArch::efi_bc:
      f.name = config.uefi_file;
      return f;
    case ClientArch::efi_x64_http:
      f.name = http_base + "/" + config.uefi_file;
      f.http = true;
      return f;
    default:
      return std::nullopt;
  }
}

}  // namespace ingot::pxe
