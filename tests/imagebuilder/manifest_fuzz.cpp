// Fuzz target for the manifest parser: any bytes must give a manifest or a clear error, never
// a crash; a manifest that parses must serialise and re-parse to the same value.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "imagebuilder/manifest_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto m = ingot::image::parse_manifest(text);
  if (!m) {
    if (m.error().message().empty()) std::abort();
    return 0;
  }
  auto again = ingot::image::parse_manifest(ingot::image::manifest_to_json(*m));
  if (!again || !(*again == *m)) std::abort();
  return 0;
}
