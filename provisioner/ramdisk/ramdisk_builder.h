// `ingot ramdisk build`: the deploy ramdisk from Debian's own packages — the kernel package's
// vmlinuz and modules, busybox-static, e2fsprogs, dosfstools, fdisk, GRUB (BIOS and UEFI) and
// the ingot-agent with every shared library it needs — as vmlinuz + a zstd initramfs.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"

namespace ingot::ramdisk {

struct RamdiskSpec {
  std::filesystem::path kernel_dir;  // an extracted linux-image package (boot/vmlinuz-*, lib/modules/*)
  std::filesystem::path agent;       // the ingot-agent binary to embed
  std::filesystem::path out_dir;     // gets vmlinuz and initrd.img
  std::vector<std::string> binaries;  // extra host programs (absolute paths), with their libraries
  std::vector<std::string> modules;   // kernel modules by name; dependencies are added
  int zstd_level = 6;
};

// The programs and modules a deploy needs; callers may add to them.
RamdiskSpec default_spec();

struct RamdiskResult {
  std::filesystem::path kernel;
  std::filesystem::path initrd;
  std::string kernel_version;
  std::size_t files = 0;
  std::size_t uncompressed_bytes = 0;
  std::size_t compressed_bytes = 0;
  std::vector<std::string> missing;  // requested items not found on this host (a warning list)
};

Result<RamdiskResult> build_ramdisk(const RamdiskSpec& spec);

// The /init script run by the kernel (exposed for tests).
std::string_view init_script();

}  // namespace ingot::ramdisk
