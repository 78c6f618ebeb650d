// The target disk's layout: GPT with a BIOS-boot partition (GRUB's core image on BIOS
// machines), an EFI system partition (UEFI machines), and the root filesystem — so one disk
// boots under either firmware. Pure: the plan and facts in, an sfdisk script and mkfs/mount
// steps out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "hwmatch/facts.h"

namespace ingot::agent {

struct Partition {
  std::string name;        // "bios", "efi", "root", or a role-defined name
  std::uint64_t size_mib = 0;  // 0: the rest of the disk (last partition only)
  std::string type;        // sfdisk GPT type: "21686148-6449-6E6F-744E-656564454649" etc.
  std::string fs;          // "" (raw), "vfat", "ext4"
  std::string mountpoint;  // "" for raw, "/" for root, "/boot/efi", ...
};

struct DiskLayout {
  std::string disk;  // "/dev/vda"
  std::vector<Partition> partitions;
};

// The default: bios 1 MiB, efi 256 MiB (vfat, /boot/efi), root rest (ext4, /).
std::vector<Partition> default_partitions();

// A role's layout from its plan JSON: [{"name","size_mib","fs","mountpoint"}...]; validated
// (one root, only the last partition may take the rest, known filesystems, absolute mountpoints).
Result<std::vector<Partition>> partitions_from_json(const nlohmann::json& j);

// Which disk to install on: the plan's choice if given ("sda" or "/dev/sda"), else the
// smallest non-removable disk from the facts that holds the layout (the OS disk is usually the
// small one; big disks are data disks).
Result<std::string> choose_disk(const hwmatch::Facts& facts, const std::string& wanted,
                                std::uint64_t min_size_mib);

std::string sfdisk_script(const DiskLayout& layout);

// /dev/vda + 3 → /dev/vda3; /dev/nvme0n1 + 3 → /dev/nvme0n1p3; /dev/loop0 + 1 → /dev/loop0p1.
std::string partition_device(const std::string& disk, int number);

// The sum the layout needs, excluding the "rest" partition, plus 1 GiB for a usable root.
std::uint64_t minimum_disk_mib(const std::vector<Partition>& parts);

}  // namespace ingot::agent
