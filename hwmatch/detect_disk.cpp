// Disks from /sys/block: size (GB, decimal, as eDeploy), rotational, model, vendor, rev,
// serial, WWN and transport (nvme/sata/sas/virtio/scsi/usb/mmc, read off the device's
// path in the sysfs tree). Software devices (loop, ram, zram, dm, md, nbd), optical drives
// and empty media are not disks a node can be deployed on and are skipped.
#include <array>
#include <cctype>
#include <string>

#include "common/byte_reader.h"
#include "hwmatch/detect_sources.h"

namespace ingot::hwmatch {
namespace {

constexpr std::array<std::string_view, 6> kSoftwareDevices = {"loop", "ram", "zram", "dm-", "md", "nbd"};

bool software_device(std::string_view name) {
  for (auto p : kSoftwareDevices)
    if (name.starts_with(p)) return true;
  return false;
}

// SCSI peripheral device type 5 is a CD/DVD drive (SPC-4 §6.4.2, Table 141); the sr driver
// names its nodes srN. A drive with a disc in it has a size, so the name and the type are
// what tell it apart from a disk.
constexpr std::string_view kOpticalPrefix = "sr";
constexpr std::string_view kScsiTypeOptical = "5";

bool optical_drive(const SysfsRoot& fs, std::string_view name, const std::string& base) {
  if (name.starts_with(kOpticalPrefix) && name.size() > kOpticalPrefix.size() &&
      std::isdigit(static_cast<unsigned char>(name[kOpticalPrefix.size()])))
    return true;
  auto type = fs.attribute(base + "device/type");
  return type && *type == kScsiTypeOptical;
}

bool has_segment(std::string_view path, std::string_view prefix) {
  for (std::size_t at = path.find(prefix); at != std::string_view::npos; at = path.find(prefix, at + 1))
    if (at == 0 || path[at - 1] == '/') return true;
  return false;
}

// The bus a block device hangs off, from its resolved path, e.g.
// sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda -> sata.
// ATA and SAS paths also contain "hostN", USB ones too: check the specific buses first.
std::string transport(std::string_view path) {
  if (has_segment(path, "nvme")) return "nvme";
  if (has_segment(path, "ata")) return "sata";
  if (has_segment(path, "end_device-")) return "sas";
  if (has_segment(path, "usb")) return "usb";
  if (has_segment(path, "mmc")) return "mmc";
  if (has_segment(path, "host")) return "scsi";
  if (has_segment(path, "virtio")) return "virtio";
  return "unknown";
}

// SCSI VPD page 0x80 (Unit Serial Number, SPC-4 §7.8.16): 4-byte header with a big-endian
// page length, then the serial in ASCII.
std::string vpd_serial(std::string_view raw) {
  ByteReader r(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()));
  r.skip(1);
  std::uint8_t page = r.u8();
  std::uint16_t len = r.u16be();
  auto s = r.bytes(len);
  if (!r.ok() || page != 0x80) return {};
  return trim(std::string_view(reinterpret_cast<const char*>(s.data()), s.size()));
}

std::optional<std::string> first_attribute(const SysfsRoot& fs, std::initializer_list<std::string> paths) {
  for (const auto& p : paths)
    if (auto v = fs.attribute(p); v && !v->empty()) return v;
  return std::nullopt;
}

}  // namespace

void detect_disks(const SysfsRoot& fs, FactSink& out) {
  auto names = list_source(fs, out, "sys/block", "block");
  if (!names) return;
  std::size_t count = 0;
  for (const auto& n : *names) {
    if (software_device(n)) continue;
    std::string base = "sys/block/" + n + "/";
    if (optical_drive(fs, n, base)) continue;
    auto sectors_text = fs.attribute(base + "size");
    if (!sectors_text) continue;  // not a block device we can size
    auto sectors = parse_u64(*sectors_text);
    if (!sectors) {
      out.invalid(base + "size", "not a sector count");
      continue;
    }
    if (*sectors == 0) continue;  // empty optical drive, card reader without a card
    ++count;
    // "size" is always in 512-byte units whatever the logical block size.
    out.add("disk", n, "size", std::to_string(*sectors / (1'000'000'000 / 512)));
    add_attribute(fs, out, base + "queue/rotational", "disk", n, "rotational");
    add_attribute(fs, out, base + "device/vendor", "disk", n, "vendor");
    add_attribute(fs, out, base + "device/model", "disk", n, "model");
    if (auto rev = first_attribute(fs, {base + "device/rev", base + "device/firmware_rev"}))
      out.add("disk", n, "rev", *rev);
    std::optional<std::string> serial = first_attribute(fs, {base + "serial", base + "device/serial"});
    if (!serial)
      if (FileRead vpd = fs.read(base + "device/vpd_pg80"); vpd.ok())
        if (auto s = vpd_serial(vpd.data); !s.empty()) serial = s;
    if (serial) out.add("disk", n, "serial", *serial);
    if (auto wwn = first_attribute(fs, {base + "wwid", base + "device/wwid"})) out.add("disk", n, "wwn", *wwn);
    add_attribute(fs, out, base + "queue/physical_block_size", "disk", n, "physical_block_size");
    auto real = fs.resolve("sys/block/" + n);
    out.add("disk", n, "transport", real ? transport(*real) : "unknown");
  }
  out.add("disk", "logical", "count", std::to_string(count));
}

}  // namespace ingot::hwmatch
