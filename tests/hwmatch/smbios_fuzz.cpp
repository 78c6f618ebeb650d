// Fuzz target for the SMBIOS decoder. Input: one length byte n, n bytes of entry point, then
// the structure table (n = 0: no entry point, as when a kernel exports only DMI).
#include <cstddef>
#include <cstdint>
#include <span>

#include "hwmatch/smbios_table.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::span<const std::uint8_t> in(data, size);
  std::size_t n = in[0];
  if (n > in.size() - 1) return 0;
  auto entry_bytes = in.subspan(1, n);
  auto table = in.subspan(1 + n);
  std::optional<ingot::hwmatch::SmbiosEntryPoint> entry;
  if (n > 0) {
    auto e = ingot::hwmatch::parse_smbios_entry_point(entry_bytes);
    if (e) entry = *e;
  }
  auto t = ingot::hwmatch::parse_smbios(table, entry);
  if (t) {
    // Touch every decoded string so a bad view would show under ASan.
    std::size_t sum = 0;
    for (const auto& m : t->memory_devices) sum += m.locator.size() + m.part_number.size() + m.serial.size();
    if (t->system) sum += t->system->uuid.size();
    (void)sum;
  }
  return 0;
}
