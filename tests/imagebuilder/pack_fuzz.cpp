// Fuzz target for the object pack codec: any bytes as a pack answer (against a fixed list of
// asked objects) or as a pack request give records or a clear error, never a crash, and a
// reader never hands out an object it was not asked for.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "imagebuilder/object_pack.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ingot;
  using namespace ingot::image;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto req = parse_pack_request(text); !req && req.error().message().empty()) std::abort();
  std::vector<Digest> want = {sha256("a"), sha256("b")};
  std::size_t n = 0;
  PackReader r(want, [&](const Digest& d, std::string&&) -> Result<void> {
    if (n >= want.size() || d != want[n]) std::abort();
    ++n;
    return ok();
  });
  // In two pieces, so the resumable parts of the reader get exercised too.
  auto first = r.feed({data, size / 2});
  if (first) (void)r.feed({data + size / 2, size - size / 2});
  (void)r.finish();
  return 0;
}
