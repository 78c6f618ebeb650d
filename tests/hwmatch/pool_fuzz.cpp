// Fuzz target for pools files (JSON with eDeploy-style patterns): parse, then pick a few
// allocations so every generator's at() runs on whatever parsed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hwmatch/pool_set.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto pools = ingot::hwmatch::RolePools::from_json(text, "fuzz");
  if (!pools) return 0;
  std::vector<ingot::hwmatch::PoolValues> taken;
  for (int i = 0; i < 4; ++i) {
    auto v = pools->pick({{"serial", "SN-" + std::to_string(i)}}, taken);
    if (!v) break;
    taken.push_back(*v);
  }
  return 0;
}
