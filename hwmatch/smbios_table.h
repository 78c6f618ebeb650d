// SMBIOS table decoder (DMTF DSP0134 3.x): the entry point (§5.2.1 "_SM_" 2.1 32-bit,
// §5.2.2 "_SM3_" 64-bit) and the structure table as Linux exposes them in
// /sys/firmware/dmi/tables/{smbios_entry_point,DMI}. Decodes types 0 (BIOS, §7.1),
// 1 (System, §7.2), 2 (Baseboard, §7.3) and 17 (Memory Device, §7.18). Pure codec: bytes in,
// values out; a malformed table is an error, never a partial list.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace ingot::hwmatch {

// Real tables are 2-20 KiB; the largest servers seen stay under 256 KiB. 1 MiB leaves room
// without letting a hostile file make us walk gigabytes.
inline constexpr std::size_t kMaxSmbiosTable = 1024 * 1024;
// A structure's string set: DSP0134 caps each string at 64 bytes "should"; firmware exceeds
// it, so allow a page before calling the table malformed.
inline constexpr std::size_t kMaxSmbiosString = 4096;
// Strings per structure: the string index is one byte.
inline constexpr std::size_t kMaxSmbiosStrings = 255;
// Structures per table: 64 KiB of minimum-size (4-byte header + 2 NULs) structures.
inline constexpr std::size_t kMaxSmbiosStructures = 65536 / 6;

struct SmbiosVersion {
  int major = 0;
  int minor = 0;
};

struct SmbiosBios {
  std::string vendor, version, release_date;
};

struct SmbiosSystem {
  std::string manufacturer, product, version, serial, sku, family;
  std::string uuid;  // canonical lower-case text; empty when absent or "not set"
};

struct SmbiosBaseboard {
  std::string manufacturer, product, version, serial;
};

struct SmbiosMemoryDevice {
  std::uint16_t handle = 0;
  std::optional<std::uint64_t> size_bytes;  // nullopt: unknown; 0: slot empty
  std::uint32_t speed_mts = 0;              // 0: unknown
  std::uint32_t configured_speed_mts = 0;
  std::uint8_t form_factor = 0;
  std::uint8_t memory_type = 0;
  std::string locator, bank_locator, manufacturer, serial, part_number, asset_tag;
};

struct SmbiosTable {
  SmbiosVersion version;
  std::optional<SmbiosBios> bios;
  std::optional<SmbiosSystem> system;
  std::optional<SmbiosBaseboard> baseboard;
  std::vector<SmbiosMemoryDevice> memory_devices;
  std::size_t structure_count = 0;
};

struct SmbiosEntryPoint {
  SmbiosVersion version;
  std::uint64_t table_length = 0;  // exact (2.1) or maximum (3.0) size of the table
  std::optional<std::size_t> structure_count;  // 2.1 only
};

Result<SmbiosEntryPoint> parse_smbios_entry_point(std::span<const std::uint8_t> bytes);
// The entry point is optional (some kernels expose only DMI): without it the whole buffer is
// the table and the version is taken as unknown (0.0).
Result<SmbiosTable> parse_smbios(std::span<const std::uint8_t> table,
                                 const std::optional<SmbiosEntryPoint>& entry = std::nullopt);

// Names for the enumerations (DSP0134 §7.18.1, §7.18.2), e.g. "DIMM", "DDR4".
std::string smbios_form_factor_name(std::uint8_t v);
std::string smbios_memory_type_name(std::uint8_t v);

}  // namespace ingot::hwmatch
