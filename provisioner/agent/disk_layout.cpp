#include "provisioner/agent/disk_layout.h"

#include <algorithm>
#include <limits>
#include <sstream>

namespace ingot::agent {
namespace {
constexpr const char* kBiosBootType = "21686148-6449-6E6F-744E-656564454649";
constexpr const char* kEfiType = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
constexpr const char* kLinuxType = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
// Anything above this is a typo, not a partition (16 EiB would overflow sfdisk's sectors).
constexpr std::uint64_t kMaxPartitionMib = 1ull << 32;

std::string strip_dev(const std::string& d) { return d.rfind("/dev/", 0) == 0 ? d.substr(5) : d; }
}  // namespace

std::vector<Partition> default_partitions() {
  return {{"bios", 1, kBiosBootType, "", ""},
          {"efi", 256, kEfiType, "vfat", "/boot/efi"},
          {"root", 0, kLinuxType, "ext4", "/"}};
}

Result<std::vector<Partition>> partitions_from_json(const nlohmann::json& j) {
  if (!j.is_array() || j.empty()) return fail("layout: expected a non-empty list of partitions");
  std::vector<Partition> out;
  int roots = 0;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const auto& p = j[i];
    std::string where = "layout[" + std::to_string(i) + "]";
    if (!p.is_object()) return fail(where + ": expected an object");
    Partition part;
    part.name = p.value("name", "");
    if (part.name.empty()) return fail(where + ".name: missing");
    if (p.contains("size_mib")) {
      if (!p["size_mib"].is_number_unsigned()) return fail(where + ".size_mib: expected a whole number of MiB");
      part.size_mib = p["size_mib"].get<std::uint64_t>();
      if (part.size_mib > kMaxPartitionMib) return fail(where + ".size_mib: larger than any disk");
    }
    if (part.size_mib == 0 && i + 1 != j.size()) return fail(where + ": only the last partition may take the rest of the disk");
    part.fs = p.value("fs", "");
    if (part.fs != "" && part.fs != "ext4" && part.fs != "vfat")
      return fail(where + ".fs: '" + part.fs + "' is not ext4, vfat or empty");
    part.mountpoint = p.value("mountpoint", "");
    if (!part.mountpoint.empty() && (part.mountpoint[0] != '/' || part.mountpoint.find("..") != std::string::npos))
      return fail(where + ".mountpoint: '" + part.mountpoint + "' must be an absolute path without '..'");
    if (!part.mountpoint.empty() && part.fs.empty()) return fail(where + ": a mountpoint needs a filesystem");
    if (part.mountpoint == "/") ++roots;
    if (part.name == "bios") part.type = kBiosBootType;
    else if (part.name == "efi" || part.mountpoint == "/boot/efi") part.type = kEfiType;
    else part.type = kLinuxType;
    out.push_back(part);
  }
  if (roots != 1) return fail("layout: exactly one partition must be mounted at /");
  return out;
}

std::uint64_t minimum_disk_mib(const std::vector<Partition>& parts) {
  std::uint64_t sum = 2;  // GPT headers and alignment
  for (auto& p : parts) sum += p.size_mib;
  return sum + 1024;
}

Result<std::string> choose_disk(const hwmatch::Facts& facts, const std::string& wanted, std::uint64_t min_size_mib) {
  struct Disk {
    std::string name;
    double size_gb = 0;
    bool removable = false;
  };
  std::vector<Disk> disks;
  for (auto& f : facts) {
    if (f.cls != "disk") continue;
    auto it = std::find_if(disks.begin(), disks.end(), [&](const Disk& d) { return d.name == f.name; });
    if (it == disks.end()) {
      disks.push_back({f.name});
      it = disks.end() - 1;
    }
    if (f.key == "size") {
      try {
        it->size_gb = std::stod(f.value);
      } catch (...) {
        it->size_gb = 0;
      }
    }
    if (f.key == "removable" && f.value == "1") it->removable = true;
  }
  double min_gb = static_cast<double>(min_size_mib) / 1024.0;
  if (!wanted.empty()) {
    std::string name = strip_dev(wanted);
    for (auto& d : disks)
      if (d.name == name) return "/dev/" + name;
    return fail("plan asks for disk '" + wanted + "' but the machine has no such disk");
  }
  const Disk* best = nullptr;
  for (auto& d : disks) {
    if (d.removable || d.size_gb < min_gb) continue;
    if (!best || d.size_gb < best->size_gb || (d.size_gb == best->size_gb && d.name < best->name)) best = &d;
  }
  if (!best) {
    std::ostringstream why;
    why << "no disk of at least " << min_size_mib << " MiB among " << disks.size() << " disk(s)";
    return fail(why.str());
  }
  return "/dev/" + best->name;
}

std::string sfdisk_script(const DiskLayout& layout) {
  std::ostringstream s;
  s << "label: gpt\n";
  for (auto& p : layout.partitions) {
    if (p.size_mib) s << "size=" << p.size_mib << "MiB, ";
    s << "type=" << p.type << ", name=\"" << p.name << "\"\n";
  }
  return s.str();
}

std::string partition_device(const std::string& disk, int number) {
  bool digit_end = !disk.empty() && disk.back() >= '0' && disk.back() <= '9';
  return disk + (digit_end ? "p" : "") + std::to_string(number);
}

}  // namespace ingot::agent
