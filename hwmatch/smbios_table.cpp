#include "hwmatch/smbios_table.h"

#include <cstdio>
#include <string_view>

#include "common/byte_reader.h"

namespace ingot::hwmatch {
namespace {

constexpr std::uint8_t kTypeBios = 0, kTypeSystem = 1, kTypeBaseboard = 2, kTypeMemoryDevice = 17;
constexpr std::uint8_t kTypeEndOfTable = 127;

// One structure's formatted area. SMBIOS is little-endian, and a field past the structure's
// length simply does not exist (the structure predates that field's spec version), so every
// accessor says whether the field is there.
class Formatted {
 public:
  explicit Formatted(std::span<const std::uint8_t> b) : b_(b) {}
  bool has(std::size_t off, std::size_t n) const { return off + n <= b_.size(); }
  std::uint8_t u8(std::size_t off) const { return has(off, 1) ? b_[off] : 0; }
  std::uint16_t u16(std::size_t off) const {
    return has(off, 2) ? static_cast<std::uint16_t>(b_[off] | b_[off + 1] << 8) : 0;
  }
  std::uint32_t u32(std::size_t off) const {
    if (!has(off, 4)) return 0;
    return std::uint32_t(b_[off]) | std::uint32_t(b_[off + 1]) << 8 | std::uint32_t(b_[off + 2]) << 16 |
           std::uint32_t(b_[off + 3]) << 24;
  }
  std::span<const std::uint8_t> bytes(std::size_t off, std::size_t n) const {
    return has(off, n) ? b_.subspan(off, n) : std::span<const std::uint8_t>{};
  }

 private:
  std::span<const std::uint8_t> b_;
};

struct Structure {
  std::uint8_t type = 0;
  std::uint16_t handle = 0;
  Formatted formatted{{}};
  std::vector<std::string_view> strings;

  // String fields hold a 1-based index into the string set; 0 means "none".
  std::string str(std::size_t off) const {
    std::uint8_t i = formatted.u8(off);
    if (i == 0 || i > strings.size()) return {};
    std::string s(strings[i - 1]);
    while (!s.empty() && s.back() == ' ') s.pop_back();  // firmware pads with spaces
    return s;
  }
};

// Decodes the structure starting at `at`: header, formatted area, string set (NUL-terminated
// strings, the set ending with an extra NUL; an empty set is two NULs). Sets *next to the
// offset just past it.
Result<Structure> read_structure(std::span<const std::uint8_t> table, std::size_t at, std::size_t* next) {
  auto where = [&] { return "smbios: structure at offset " + std::to_string(at); };
  ByteReader r(table.subspan(at));
  Structure s;
  s.type = r.u8();
  std::uint8_t len = r.u8();
  std::uint8_t h0 = r.u8(), h1 = r.u8();
  s.handle = static_cast<std::uint16_t>(h0 | h1 << 8);
  if (!r.ok()) return fail(where() + ": truncated header");
  if (len < 4) return fail(where() + ": length " + std::to_string(len) + " is shorter than its header");
  r.skip(len - 4u);
  if (!r.ok()) return fail(where() + ": formatted area runs past the end of the table");
  s.formatted = Formatted(table.subspan(at, len));

  std::span<const std::uint8_t> tail = table.subspan(at + len);
  auto byte_at = [&](std::size_t i) -> std::optional<std::uint8_t> {
    if (i >= tail.size()) return std::nullopt;
    return tail[i];
  };
  if (byte_at(0) == std::uint8_t{0} && byte_at(1) == std::uint8_t{0}) {
    *next = at + len + 2;
    return s;
  }
  ByteReader strings(tail);
  while (true) {
    if (s.strings.size() >= kMaxSmbiosStrings) return fail(where() + ": more than 255 strings");
    std::string_view str = strings.cstring(kMaxSmbiosString);
    if (!strings.ok()) return fail(where() + ": unterminated string set");
    s.strings.push_back(str);
    auto b = byte_at(strings.position());
    if (!b) return fail(where() + ": unterminated string set");
    if (*b == 0) {
      *next = at + len + strings.position() + 1;
      return s;
    }
  }
}

std::string uuid_text(std::span<const std::uint8_t> u, SmbiosVersion v) {
  if (u.size() != 16) return {};
  bool all_ff = true, all_00 = true;
  for (auto b : u) {
    all_ff = all_ff && b == 0xFF;
    all_00 = all_00 && b == 0x00;
  }
  if (all_ff || all_00) return {};  // "not present" / "present but not set" (§7.2.1)
  // Since 2.6 the first three fields are little-endian (§7.2.1); an unknown version (no entry
  // point) is taken as modern, as every current firmware is.
  bool le = v.major == 0 || v.major > 2 || (v.major == 2 && v.minor >= 6);
  std::array<std::uint8_t, 16> b{};
  for (std::size_t i = 0; i < 16; ++i) b[i] = u[i];
  if (le) {
    std::swap(b[0], b[3]);
    std::swap(b[1], b[2]);
    std::swap(b[4], b[5]);
    std::swap(b[6], b[7]);
  }
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

SmbiosMemoryDevice decode_memory_device(const Structure& s) {
  const Formatted& f = s.formatted;
  SmbiosMemoryDevice m;
  m.handle = s.handle;
  m.form_factor = f.u8(0x0E);
  m.locator = s.str(0x10);
  m.bank_locator = s.str(0x11);
  m.memory_type = f.u8(0x12);
  if (f.has(0x0C, 2)) {
    std::uint16_t size = f.u16(0x0C);
    if (size == 0) {
      m.size_bytes = 0;  // no device installed in the socket
    } else if (size == 0x7FFF && f.has(0x1C, 4)) {
      m.size_bytes = std::uint64_t(f.u32(0x1C) & 0x7FFFFFFF) << 20;  // Extended Size, MiB
    } else if (size != 0xFFFF) {
      m.size_bytes = size & 0x8000 ? std::uint64_t(size & 0x7FFF) << 10 : std::uint64_t(size) << 20;
    }
  }
  if (f.has(0x15, 2)) {
    std::uint16_t sp = f.u16(0x15);
    m.speed_mts = sp == 0xFFFF ? f.u32(0x54) : sp;  // 0xFFFF: see Extended Speed (3.3)
  }
  if (f.has(0x20, 2)) {
    std::uint16_t sp = f.u16(0x20);
    m.configured_speed_mts = sp == 0xFFFF ? f.u32(0x58) : sp;
  }
  m.manufacturer = s.str(0x17);
  m.serial = s.str(0x18);
  m.asset_tag = s.str(0x19);
  m.part_number = s.str(0x1A);
  return m;
}

void decode(const Structure& s, SmbiosTable& t) {
  switch (s.type) {
    case kTypeBios:
      if (!t.bios) t.bios = SmbiosBios{s.str(0x04), s.str(0x05), s.str(0x08)};
      break;
    case kTypeSystem:
      if (!t.system)
        t.system = SmbiosSystem{s.str(0x04), s.str(0x05), s.str(0x06), s.str(0x07), s.str(0x19), s.str(0x1A),
                                uuid_text(s.formatted.bytes(0x08, 16), t.version)};
      break;
    case kTypeBaseboard:
      if (!t.baseboard) t.baseboard = SmbiosBaseboard{s.str(0x04), s.str(0x05), s.str(0x06), s.str(0x07)};
      break;
    case kTypeMemoryDevice:
      t.memory_devices.push_back(decode_memory_device(s));
      break;
    default:
      break;
  }
}

}  // namespace

Result<SmbiosEntryPoint> parse_smbios_entry_point(std::span<const std::uint8_t> b) {
  auto sum_ok = [&](std::size_t n) {
    std::uint8_t sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum = static_cast<std::uint8_t>(sum + b[i]);
    return sum == 0;
  };
  Formatted f(b);
  SmbiosEntryPoint e;
  std::string_view text(reinterpret_cast<const char*>(b.data()), b.size());
  if (text.starts_with("_SM3_")) {
    if (b.size() < 0x18) return fail("smbios: 3.0 entry point shorter than 24 bytes");
    std::uint8_t len = f.u8(0x06);
    if (len < 0x18 || len > b.size()) return fail("smbios: 3.0 entry point length " + std::to_string(len) + " is invalid");
    if (!sum_ok(len)) return fail("smbios: 3.0 entry point checksum mismatch");
    e.version = {f.u8(0x07), f.u8(0x08)};
    e.table_length = f.u32(0x0C);
    return e;
  }
  if (text.starts_with("_SM_")) {
    if (b.size() < 0x1F) return fail("smbios: 2.1 entry point shorter than 31 bytes");
    std::uint8_t len = f.u8(0x05);
    if (len < 0x1E || len > b.size()) return fail("smbios: 2.1 entry point length " + std::to_string(len) + " is invalid");
    if (!sum_ok(len)) return fail("smbios: 2.1 entry point checksum mismatch");
    if (text.substr(0x10, 5) != "_DMI_") return fail("smbios: 2.1 entry point lacks its _DMI_ anchor");
    e.version = {f.u8(0x06), f.u8(0x07)};
    e.table_length = f.u16(0x16);
    e.structure_count = f.u16(0x1C);
    return e;
  }
  return fail("smbios: entry point has neither the _SM_ nor the _SM3_ anchor");
}

Result<SmbiosTable> parse_smbios(std::span<const std::uint8_t> table, const std::optional<SmbiosEntryPoint>& entry) {
  if (table.size() > kMaxSmbiosTable)
    return fail("smbios: table of " + std::to_string(table.size()) + " bytes exceeds the limit of " +
                std::to_string(kMaxSmbiosTable));
  SmbiosTable t;
  std::optional<std::size_t> expected_count;
  if (entry) {
    t.version = entry->version;
    expected_count = entry->structure_count;
    // 2.1 gives the exact length, 3.0 the maximum: either way nothing past it is table.
    if (entry->table_length < table.size()) table = table.first(static_cast<std::size_t>(entry->table_length));
  }
  std::size_t at = 0;
  bool ended = false;
  while (at < table.size()) {
    if (expected_count && t.structure_count == *expected_count) break;
    if (t.structure_count >= kMaxSmbiosStructures)
      return fail("smbios: more than " + std::to_string(kMaxSmbiosStructures) + " structures");
    std::size_t next = 0;
    auto s = read_structure(table, at, &next);
    if (!s) return fail(s.error());
    ++t.structure_count;
    if (s->type == kTypeEndOfTable) {
      ended = true;
      break;
    }
    decode(*s, t);
    at = next;
  }
  if (expected_count && t.structure_count < *expected_count && !ended)
    return fail("smbios: table ends after " + std::to_string(t.structure_count) + " of " +
                std::to_string(*expected_count) + " structures");
  if (t.structure_count == 0) return fail("smbios: table is empty");
  return t;
}

std::string smbios_form_factor_name(std::uint8_t v) {
  static constexpr const char* kNames[] = {nullptr, "Other", "Unknown", "SIMM", "SIP", "Chip", "DIP", "ZIP",
                                           "Proprietary Card", "DIMM", "TSOP", "Row of chips", "RIMM", "SODIMM",
                                           "SRIMM", "FB-DIMM", "Die", "CAMM"};
  if (v < std::size(kNames) && kNames[v]) return kNames[v];
  return "Unknown";
}

std::string smbios_memory_type_name(std::uint8_t v) {
  static constexpr const char* kNames[] = {
      nullptr, "Other", "Unknown", "DRAM", "EDRAM", "VRAM", "SRAM", "RAM", "ROM", "Flash", "EEPROM", "FEPROM",
      "EPROM", "CDRAM", "3DRAM", "SDRAM", "SGRAM", "RDRAM", "DDR", "DDR2", "DDR2 FB-DIMM", nullptr, nullptr,
      nullptr, "DDR3", "FBD2", "DDR4", "LPDDR", "LPDDR2", "LPDDR3", "LPDDR4", "Logical non-volatile device",
      "HBM", "HBM2", "DDR5", "LPDDR5", "HBM3"};
  if (v < std::size(kNames) && kNames[v]) return kNames[v];
  return "Unknown";
}

}  // namespace ingot::hwmatch
