#include "provisioner/agent/disk_setup.h"

#include <algorithm>
#include <thread>

namespace ingot::agent {
namespace fs = std::filesystem;
namespace {

// Partition nodes appear after the kernel rereads the table (udev-less ramdisk: devtmpfs).
constexpr auto kDeviceWait = std::chrono::seconds(20);

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::vector<const Partition*> mount_order(const PreparedDisk& d) {
  std::vector<const Partition*> parts;
  for (auto& p : d.layout.partitions)
    if (!p.mountpoint.empty()) parts.push_back(&p);
  std::stable_sort(parts.begin(), parts.end(), [](const Partition* a, const Partition* b) {
    return std::count(a->mountpoint.begin(), a->mountpoint.end(), '/') + (a->mountpoint == "/" ? -1 : 0) <
           std::count(b->mountpoint.begin(), b->mountpoint.end(), '/') + (b->mountpoint == "/" ? -1 : 0);
  });
  return parts;
}

}  // namespace

Result<PreparedDisk> partition_and_format(CommandRunner& run, const DiskLayout& layout) {
  PreparedDisk out;
  out.layout = layout;
  // Old signatures (a previous RAID member, LVM) would confuse the new system's boot.
  (void)run.run({"wipefs", "-a", "-q", layout.disk});
  if (auto r = run.check({"sfdisk", "--quiet", "--wipe", "always", layout.disk}, sfdisk_script(layout)); !r)
    return fail("partition " + layout.disk + ": " + r.error().message());
  (void)run.run({"blockdev", "--rereadpt", layout.disk});
  for (std::size_t i = 0; i < layout.partitions.size(); ++i) {
    std::string dev = partition_device(layout.disk, static_cast<int>(i + 1));
    auto deadline = std::chrono::steady_clock::now() + kDeviceWait;
    while (!fs::exists(dev) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!fs::exists(dev)) return fail(dev + " did not appear after partitioning " + layout.disk);
    out.devices[layout.partitions[i].name] = dev;
  }
  for (auto& p : layout.partitions) {
    const std::string& dev = out.devices[p.name];
    Result<std::string> made = std::string();
    if (p.fs == "ext4") {
      // The root is labelled ingot-root: images may find it by label before the fstab exists.
      std::string label = p.mountpoint == "/" ? "ingot-root" : p.name.substr(0, 16);
      made = run.check({"mke2fs", "-q", "-F", "-t", "ext4", "-L", label, dev});
    } else if (p.fs == "vfat") {
      made = run.check({"mkfs.fat", "-F", "32", "-n", "EFI", dev});
    } else {
      continue;
    }
    if (!made) return fail("format " + dev + ": " + made.error().message());
    auto uuid = run.check({"blkid", "-s", "UUID", "-o", "value", dev});
    if (!uuid || trim(*uuid).empty()) return fail("cannot read the filesystem UUID of " + dev);
    out.uuids[p.name] = trim(*uuid);
    if (p.mountpoint == "/") out.root_uuid = out.uuids[p.name];
  }
  return out;
}

Result<void> mount_target(CommandRunner& run, const PreparedDisk& disk, const fs::path& target) {
  for (const Partition* p : mount_order(disk)) {
    fs::path where = p->mountpoint == "/" ? target : target / p->mountpoint.substr(1);
    std::error_code ec;
    fs::create_directories(where, ec);
    if (ec) return fail(ec, "create mountpoint " + where.string());
    auto r = run.check({"mount", "-t", p->fs, disk.devices.at(p->name), where.string()});
    if (!r) return fail("mount " + p->mountpoint + ": " + r.error().message());
  }
  return ok();
}

Result<void> unmount_target(CommandRunner& run, const PreparedDisk& disk, const fs::path& target) {
  auto order = mount_order(disk);
  Result<void> first = ok();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    fs::path where = (*it)->mountpoint == "/" ? target : target / (*it)->mountpoint.substr(1);
    auto r = run.check({"umount", where.string()});
    if (!r && first) first = fail("unmount " + where.string() + ": " + r.error().message());
  }
  return first;
}

std::string fstab(const PreparedDisk& disk) {
  std::string s = "# Written by ingot: filesystems by UUID.\n";
  for (const Partition* p : mount_order(disk)) {
    auto it = disk.uuids.find(p->name);
    if (it == disk.uuids.end()) continue;
    bool root = p->mountpoint == "/";
    s += "UUID=" + it->second + "\t" + p->mountpoint + "\t" + p->fs + "\t" +
         (p->fs == "vfat" ? "umask=0077" : "errors=remount-ro") + "\t0\t" + (root ? "1" : "2") + "\n";
  }
  return s;
}

}  // namespace ingot::agent
