// Installs GRUB for both firmwares on the target: i386-pc core image into the BIOS-boot
// partition and a removable-path EFI binary (EFI/BOOT/BOOTX64.EFI) on the ESP, which every
// UEFI firmware boots without an NVRAM entry — so a disk deployed on one machine boots on
// another. The GRUB config is ours: the image's newest kernel, root by UUID.
#pragma once

#include <filesystem>
#include <string>

#include "common/result.h"
#include "common/command_runner.h"

namespace ingot::agent {

struct BootEntry {
  std::string kernel;  // path inside the target, "/boot/vmlinuz-6.1.0-56-amd64"
  std::string initrd;  // "" when the image has none
};

// Newest /boot/vmlinuz-* of the image (with its initrd.img-*), or /vmlinuz + /initrd.img links.
Result<BootEntry> find_boot_entry(const std::filesystem::path& target);

std::string grub_cfg(const BootEntry& entry, const std::string& root_uuid, const std::string& cmdline);

struct BootloaderPlan {
  std::filesystem::path target;  // mounted root
  std::string disk;              // whole disk, for the BIOS core image
  std::string root_uuid;
  std::string cmdline = "ro console=ttyS0,115200 console=tty0";
  bool bios = true;
  bool uefi = true;
};

Result<void> install_bootloader(CommandRunner& run, const BootloaderPlan& plan);

}  // namespace ingot::agent
