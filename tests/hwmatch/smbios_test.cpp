// The SMBIOS decoder on synthetic tables: every size/speed encoding of type 17, UUID byte
// order, both entry point kinds, and each way a table can be malformed.
#include <doctest/doctest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "hwmatch/smbios_table.h"

using namespace ingot::hwmatch;
using Bytes = std::vector<std::uint8_t>;

namespace {

// One structure: header (type, length, handle), formatted fields after the header, strings.
Bytes structure(std::uint8_t type, std::uint16_t handle, Bytes fields, std::initializer_list<std::string> strings) {
  Bytes b{type, static_cast<std::uint8_t>(4 + fields.size()), static_cast<std::uint8_t>(handle),
          static_cast<std::uint8_t>(handle >> 8)};
  for (auto x : fields) b.push_back(x);  // (insert trips a GCC 12 -Warray-bounds false positive)
  for (const auto& s : strings) {
    b.insert(b.end(), s.begin(), s.end());
    b.push_back(0);
  }
  if (strings.size() == 0) b.push_back(0);
  b.push_back(0);
  return b;
}

Bytes end_of_table() { return structure(127, 0xFEFF, {}, {}); }

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

void put16(Bytes& b, std::size_t off, std::uint16_t v) {
  b[off] = static_cast<std::uint8_t>(v);
  b[off + 1] = static_cast<std::uint8_t>(v >> 8);
}
void put32(Bytes& b, std::size_t off, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// A 3.3-sized type 17 (0x5C bytes) with the given size/speed words; strings 1..5 are
// locator, bank, manufacturer, serial, part.
Bytes memory_device(std::uint16_t size, std::uint32_t ext_size, std::uint16_t speed, std::uint32_t ext_speed) {
  Bytes f(0x5C - 4, 0);
  auto at = [](std::size_t off) { return off - 4; };  // field offsets count the header
  put16(f, at(0x0C), size);
  f[at(0x0E)] = 0x09;  // DIMM
  f[at(0x10)] = 1;
  f[at(0x11)] = 2;
  f[at(0x12)] = 0x1A;  // DDR4
  put16(f, at(0x15), speed);
  f[at(0x17)] = 3;
  f[at(0x18)] = 4;
  f[at(0x1A)] = 5;
  put32(f, at(0x1C), ext_size);
  put32(f, at(0x54), ext_speed);
  return structure(17, 0x1100, f, {"DIMM A1", "BANK 0", "Samsung", "0x1234ABCD", "M393A2K43BB1-CTD   "});
}

ingot::Result<SmbiosTable> parse(const Bytes& b) { return parse_smbios(std::span<const std::uint8_t>(b)); }

Bytes entry21(std::uint16_t table_len, std::uint16_t count, std::uint8_t major = 2, std::uint8_t minor = 8) {
  Bytes e(0x1F, 0);
  std::string a = "_SM_", d = "_DMI_";
  std::copy(a.begin(), a.end(), e.begin());
  std::copy(d.begin(), d.end(), e.begin() + 0x10);
  e[0x05] = 0x1F;
  e[0x06] = major;
  e[0x07] = minor;
  put16(e, 0x16, table_len);
  put16(e, 0x1C, count);
  std::uint8_t sum = 0;
  for (auto x : e) sum = static_cast<std::uint8_t>(sum + x);
  e[0x04] = static_cast<std::uint8_t>(-sum);  // checksum byte makes the sum zero
  return e;
}

}  // namespace

TEST_CASE("type 17 size encodings") {
  auto size_of = [](std::uint16_t size, std::uint32_t ext) {
    auto t = parse(concat({memory_device(size, ext, 2666, 0), end_of_table()}));
    REQUIRE(t.has_value());
    REQUIRE(t->memory_devices.size() == 1);
    return t->memory_devices[0].size_bytes;
  };
  CHECK(size_of(16384, 0) == 16384ULL << 20);             // MiB
  CHECK(size_of(0x8000 | 512, 0) == 512ULL << 10);        // KiB granularity bit
  CHECK(size_of(0x7FFF, 65536) == 65536ULL << 20);        // Extended Size: 64 GiB
  CHECK(size_of(0x7FFF, 0x80000000u | 32) == 32ULL << 20);  // bit 31 reserved
  CHECK(size_of(0, 0) == 0ULL);                           // empty socket
  CHECK_FALSE(size_of(0xFFFF, 0).has_value());            // unknown
}

TEST_CASE("type 17 speeds, strings and names") {
  auto t = parse(concat({memory_device(8192, 0, 0xFFFF, 70000), end_of_table()}));
  REQUIRE(t.has_value());
  const auto& m = t->memory_devices.at(0);
  CHECK(m.speed_mts == 70000);  // Extended Speed
  CHECK(m.locator == "DIMM A1");
  CHECK(m.bank_locator == "BANK 0");
  CHECK(m.manufacturer == "Samsung");
  CHECK(m.serial == "0x1234ABCD");
  CHECK(m.part_number == "M393A2K43BB1-CTD");  // trailing padding removed
  CHECK(smbios_form_factor_name(m.form_factor) == "DIMM");
  CHECK(smbios_memory_type_name(m.memory_type) == "DDR4");
  CHECK(smbios_memory_type_name(0xEE) == "Unknown");
}

TEST_CASE("a short (2.1-era) type 17 lacks the later fields instead of reading past it") {
  Bytes f(0x15 - 4, 0);  // up to Type Detail: no speed, no strings for vendor/serial/part
  put16(f, 0x0C - 4, 1024);
  f[0x10 - 4] = 1;
  auto t = parse(concat({structure(17, 1, f, {"SLOT1"}), end_of_table()}));
  REQUIRE(t.has_value());
  const auto& m = t->memory_devices.at(0);
  CHECK(m.size_bytes == 1024ULL << 20);
  CHECK(m.speed_mts == 0);
  CHECK(m.locator == "SLOT1");
  CHECK(m.manufacturer.empty());
}

TEST_CASE("system, baseboard and BIOS with UUID byte order by version") {
  Bytes sys(0x1B - 4, 0);
  sys[0] = 1;  // manufacturer
  sys[1] = 2;  // product
  sys[3] = 3;  // serial
  Bytes uuid = {0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};
  std::copy(uuid.begin(), uuid.end(), sys.begin() + (0x08 - 4));
  Bytes bios(0x12 - 4, 0);
  bios[0] = 1;
  bios[1] = 2;
  bios[0x08 - 4] = 3;
  Bytes table = concat({structure(0, 0, bios, {"Acme BIOS", "2.1", "03/04/2024"}),
                        structure(1, 1, sys, {"Acme", "Rack 9000", "SER123"}), end_of_table()});
  auto t = parse(table);
  REQUIRE(t.has_value());
  REQUIRE(t->system.has_value());
  CHECK(t->system->manufacturer == "Acme");
  CHECK(t->system->product == "Rack 9000");
  CHECK(t->system->serial == "SER123");
  CHECK(t->system->uuid == "00112233-4455-6677-8899-aabbccddeeff");
  REQUIRE(t->bios.has_value());
  CHECK(t->bios->release_date == "03/04/2024");

  // Before 2.6 the UUID is stored in plain order.
  auto e = parse_smbios_entry_point(entry21(static_cast<std::uint16_t>(table.size()), 3, 2, 4));
  REQUIRE(e.has_value());
  auto old = parse_smbios(table, *e);
  REQUIRE(old.has_value());
  CHECK(old->system->uuid == "33221100-5544-7766-8899-aabbccddeeff");

  std::fill(sys.begin() + 4, sys.begin() + 20, 0xFF);
  auto unset = parse(concat({structure(1, 1, sys, {"Acme", "Rack 9000", "SER123"}), end_of_table()}));
  REQUIRE(unset.has_value());
  CHECK(unset->system->uuid.empty());
}

TEST_CASE("entry points") {
  Bytes table = concat({memory_device(4096, 0, 2400, 0), end_of_table()});
  auto e = parse_smbios_entry_point(entry21(static_cast<std::uint16_t>(table.size()), 2));
  REQUIRE(e.has_value());
  CHECK(e->version.major == 2);
  CHECK(e->version.minor == 8);
  CHECK(e->structure_count == 2u);
  CHECK(parse_smbios(table, *e).has_value());

  Bytes bad = entry21(10, 2);
  bad[0x10] = 'X';
  bad[0x04] = static_cast<std::uint8_t>(bad[0x04] - ('X' - '_'));  // keep the checksum right
  CHECK_FALSE(parse_smbios_entry_point(bad).has_value());
  Bytes badsum = entry21(10, 2);
  badsum[0x04] ^= 1;
  CHECK_FALSE(parse_smbios_entry_point(badsum).has_value());
  CHECK_FALSE(parse_smbios_entry_point(Bytes{'_', 'S', 'M', '_'}).has_value());
  CHECK_FALSE(parse_smbios_entry_point(Bytes{}).has_value());

  Bytes v3(0x18, 0);
  std::string a = "_SM3_";
  std::copy(a.begin(), a.end(), v3.begin());
  v3[0x06] = 0x18;
  v3[0x07] = 3;
  v3[0x08] = 6;
  put32(v3, 0x0C, static_cast<std::uint32_t>(table.size()));
  std::uint8_t sum = 0;
  for (auto x : v3) sum = static_cast<std::uint8_t>(sum + x);
  v3[0x05] = static_cast<std::uint8_t>(-sum);
  auto e3 = parse_smbios_entry_point(v3);
  REQUIRE(e3.has_value());
  CHECK(e3->version.major == 3);
  CHECK(e3->table_length == table.size());
  CHECK_FALSE(e3->structure_count.has_value());
  CHECK(parse_smbios(table, *e3).has_value());
}

TEST_CASE("a 2.1 table that ends before its structure count is an error") {
  Bytes table = concat({memory_device(4096, 0, 2400, 0)});
  auto e = parse_smbios_entry_point(entry21(static_cast<std::uint16_t>(table.size()), 5));
  REQUIRE(e.has_value());
  CHECK_FALSE(parse_smbios(table, *e).has_value());
}

TEST_CASE("malformed tables are errors, never partial lists") {
  Bytes good = concat({memory_device(4096, 0, 2400, 0), memory_device(4096, 0, 2400, 0), end_of_table()});
  REQUIRE(parse(good).has_value());
  for (std::size_t cut = 1; cut < good.size() - 6; ++cut) {
    CAPTURE(cut);
    Bytes t(good.begin(), good.begin() + static_cast<long>(cut));
    auto r = parse(t);
    // A cut exactly between structures is a table without its end marker (accepted, as
    // firmware omits it); anywhere else the table is truncated.
    if (r) CHECK(r->memory_devices.size() * 2 <= 2);
    if (r && r->memory_devices.size() == 1) CHECK(cut == good.size() / 2 - 3);
  }
  Bytes short_len = {17, 3, 0, 0, 0, 0};
  CHECK_FALSE(parse(short_len).has_value());
  Bytes unterminated = {1, 4, 0, 0, 'a', 'b', 'c'};
  CHECK_FALSE(parse(unterminated).has_value());
  Bytes long_string = {1, 4, 0, 0};
  long_string.insert(long_string.end(), kMaxSmbiosString + 1, 'x');
  long_string.push_back(0);
  long_string.push_back(0);
  CHECK_FALSE(parse(long_string).has_value());
  CHECK_FALSE(parse(Bytes{}).has_value());
  CHECK_FALSE(parse(Bytes(kMaxSmbiosTable + 1, 0)).has_value());
}

TEST_CASE("a string index past the string set reads as empty") {
  Bytes f(0x5C - 4, 0);
  f[0x10 - 4] = 9;  // only one string exists
  auto t = parse(concat({structure(17, 1, f, {"ONLY"}), end_of_table()}));
  REQUIRE(t.has_value());
  CHECK(t->memory_devices.at(0).locator.empty());
}
