// Memory: the usable total from /proc/meminfo, and one "bank:N" per SMBIOS memory device
// (type 17), installed or empty, as eDeploy lists them.
#include <string>

#include "hwmatch/detect_sources.h"

namespace ingot::hwmatch {

std::optional<unsigned long long> meminfo_total_bytes(std::string_view text) {
  std::size_t at = text.find("MemTotal:");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(at + 9);
  rest = rest.substr(0, rest.find('\n'));
  std::string line = trim(rest);
  if (!line.ends_with(" kB")) return std::nullopt;
  auto kb = parse_u64(trim(std::string_view(line).substr(0, line.size() - 3)));
  if (!kb || *kb > (~0ULL >> 10)) return std::nullopt;
  return *kb << 10;
}

void detect_memory(const SysfsRoot& fs, const std::optional<SmbiosTable>& smbios, FactSink& out) {
  FileRead mi = fs.read("proc/meminfo", kMaxProcFile);
  if (mi.status == ReadStatus::missing) {
    out.missing("meminfo", "proc/meminfo not found");
  } else if (!mi.ok()) {
    out.invalid("proc/meminfo", "unreadable or too large");
  } else if (auto total = meminfo_total_bytes(mi.data)) {
    out.add("memory", "total", "size", std::to_string(*total));
  } else {
    out.invalid("proc/meminfo", "no parsable MemTotal line");
  }

  // Without a table the banks are unknown (a note was already made); a table without any
  // type 17 (some VMs) really has no banks to list, and says so with count 0.
  if (!smbios) return;
  unsigned long long installed = 0;
  std::size_t i = 0;
  for (const SmbiosMemoryDevice& m : smbios->memory_devices) {
    std::string name = "bank:" + std::to_string(i++);
    bool empty = m.size_bytes && *m.size_bytes == 0;
    std::string desc = smbios_form_factor_name(m.form_factor) + " " + smbios_memory_type_name(m.memory_type);
    out.add("memory", name, "description", empty ? desc + " [empty]" : desc);
    if (!m.locator.empty()) out.add("memory", name, "slot", m.locator);
    if (!m.bank_locator.empty()) out.add("memory", name, "bank", m.bank_locator);
    if (empty) continue;
    if (m.size_bytes) {
      out.add("memory", name, "size", std::to_string(*m.size_bytes));
      installed += *m.size_bytes;
    }
    if (m.speed_mts) {
      out.add("memory", name, "speed", std::to_string(m.speed_mts));
      out.add("memory", name, "clock", std::to_string(std::uint64_t(m.speed_mts) * 1'000'000));  // eDeploy: Hz
    }
    if (!m.manufacturer.empty()) out.add("memory", name, "vendor", m.manufacturer);
    if (!m.part_number.empty()) out.add("memory", name, "product", m.part_number);
    if (!m.serial.empty()) out.add("memory", name, "serial", m.serial);
  }
  out.add("memory", "banks", "count", std::to_string(smbios->memory_devices.size()));
  out.add("memory", "banks", "size", std::to_string(installed));
}

}  // namespace ingot::hwmatch
