// System, board and firmware identity: /sys/class/dmi/id first (what the kernel decoded),
// the raw SMBIOS table for whatever it lacks; boot mode from /sys/firmware/efi.
#include <string>

#include "hwmatch/detect_sources.h"

namespace ingot::hwmatch {
namespace {

struct DmiField {
  const char* file;  // under sys/class/dmi/id
  const char* name;
  const char* key;
  std::string (*from_smbios)(const SmbiosTable&);
};

template <typename T, std::string T::*M>
std::string field(const std::optional<T>& o) {
  return o ? (*o).*M : std::string();
}

const DmiField kFields[] = {
    {"sys_vendor", "product", "vendor", [](const SmbiosTable& t) { return field<SmbiosSystem, &SmbiosSystem::manufacturer>(t.system); }},
    {"product_name", "product", "name", [](const SmbiosTable& t) { return field<SmbiosSystem, &SmbiosSystem::product>(t.system); }},
    {"product_version", "product", "version", [](const SmbiosTable& t) { return field<SmbiosSystem, &SmbiosSystem::version>(t.system); }},
    {"product_serial", "product", "serial", [](const SmbiosTable& t) { return field<SmbiosSystem, &SmbiosSystem::serial>(t.system); }},
    {"product_uuid", "product", "uuid", [](const SmbiosTable& t) { return field<SmbiosSystem, &SmbiosSystem::uuid>(t.system); }},
    {"board_vendor", "motherboard", "vendor", [](const SmbiosTable& t) { return field<SmbiosBaseboard, &SmbiosBaseboard::manufacturer>(t.baseboard); }},
    {"board_name", "motherboard", "name", [](const SmbiosTable& t) { return field<SmbiosBaseboard, &SmbiosBaseboard::product>(t.baseboard); }},
    {"board_version", "motherboard", "version", [](const SmbiosTable& t) { return field<SmbiosBaseboard, &SmbiosBaseboard::version>(t.baseboard); }},
    {"board_serial", "motherboard", "serial", [](const SmbiosTable& t) { return field<SmbiosBaseboard, &SmbiosBaseboard::serial>(t.baseboard); }},
};

const DmiField kBiosFields[] = {
    {"bios_vendor", "bios", "vendor", [](const SmbiosTable& t) { return field<SmbiosBios, &SmbiosBios::vendor>(t.bios); }},
    {"bios_version", "bios", "version", [](const SmbiosTable& t) { return field<SmbiosBios, &SmbiosBios::version>(t.bios); }},
    {"bios_date", "bios", "date", [](const SmbiosTable& t) { return field<SmbiosBios, &SmbiosBios::release_date>(t.bios); }},
};

void add_fields(const SysfsRoot& fs, const std::optional<SmbiosTable>& smbios, const char* cls,
                const DmiField* begin, const DmiField* end, FactSink& out) {
  for (const DmiField* f = begin; f != end; ++f) {
    std::string rel = std::string("sys/class/dmi/id/") + f->file;
    FileRead r = fs.read(rel);
    std::string value = r.ok() ? trim(r.data) : std::string();
    if (value.empty() && smbios) value = f->from_smbios(*smbios);
    if (!value.empty()) {
      out.add(cls, f->name, f->key, value);
    } else if (r.status == ReadStatus::unreadable || r.status == ReadStatus::too_large) {
      // Serials and the UUID are root-only: say the field is unknown, not absent.
      out.missing(rel, "not readable (serial numbers and the UUID need root)");
    }
  }
}

}  // namespace

void detect_system(const SysfsRoot& fs, const std::optional<SmbiosTable>& smbios, FactSink& out) {
  if (!fs.exists("sys/class/dmi/id") && !smbios) {
    out.missing("dmi", "neither sys/class/dmi/id nor an SMBIOS table: no system, board or BIOS identity");
  } else {
    add_fields(fs, smbios, "system", std::begin(kFields), std::end(kFields), out);
    add_fields(fs, smbios, "firmware", std::begin(kBiosFields), std::end(kBiosFields), out);
  }
  // The kernel creates /sys/firmware/efi only when it was booted by UEFI firmware.
  out.add("firmware", "boot", "mode", fs.exists("sys/firmware/efi") ? "uefi" : "bios");
  add_attribute(fs, out, "proc/sys/kernel/osrelease", "system", "kernel", "version");
}

}  // namespace ingot::hwmatch
