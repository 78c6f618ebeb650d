// Partitions and formats the target disk, mounts it as a tree the image is laid into, and
// writes its fstab by filesystem UUID (device names change between ramdisk and installed OS).
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "common/result.h"
#include "common/command_runner.h"
#include "provisioner/agent/disk_layout.h"

namespace ingot::agent {

struct PreparedDisk {
  DiskLayout layout;
  std::map<std::string, std::string> devices;  // partition name → /dev node
  std::map<std::string, std::string> uuids;    // partition name → filesystem UUID
  std::string root_uuid;
};

// Wipes signatures, writes the GPT with sfdisk, waits for the partition nodes, runs mkfs.
Result<PreparedDisk> partition_and_format(CommandRunner& run, const DiskLayout& layout);

// Mounts root at target, then the other mountpoints beneath it, shallowest first.
Result<void> mount_target(CommandRunner& run, const PreparedDisk& disk, const std::filesystem::path& target);
// Unmounts in reverse; tries every mount even after a failure and reports the first.
Result<void> unmount_target(CommandRunner& run, const PreparedDisk& disk, const std::filesystem::path& target);

std::string fstab(const PreparedDisk& disk);

}  // namespace ingot::agent
