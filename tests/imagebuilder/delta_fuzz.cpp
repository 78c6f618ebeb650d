// Fuzz target for the delta patcher (librsync deltas come from the network): any bytes must
// give output within the size cap or a clear error, never a crash or a read outside the base.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#include "imagebuilder/rsync_delta.h"

namespace {

// A fixed 4 KiB base in memory, shared by every run.
int base_fd() {
  static int fd = [] {
    int f = ::memfd_create("delta-fuzz-base", 0);
    std::uint8_t buf[4096];
    for (std::size_t i = 0; i < sizeof buf; ++i) buf[i] = static_cast<std::uint8_t>(i * 31 + 7);
    if (f < 0 || ::write(f, buf, sizeof buf) != static_cast<ssize_t>(sizeof buf)) std::abort();
    return f;
  }();
  return fd;
}

// Output cap for one input: small, so huge COPY lengths are stopped quickly.
constexpr std::uint64_t kMaxOutput = 1 << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::uint64_t seen = 0;
  ingot::image::DeltaPatcher p(
      base_fd(), 4096,
      [&](std::span<const std::uint8_t> b) {
        seen += b.size();
        return ingot::ok();
      },
      kMaxOutput);
  // Fed in two pieces, so the patcher's carry-over of unconsumed input is exercised too.
  std::size_t half = size / 2;
  auto r = p.update({data, half});
  if (r) r = p.update({data + half, size - half});
  if (r) r = p.finish();
  if (!r && r.error().message().empty()) std::abort();
  if (seen > kMaxOutput || seen != p.output_size()) std::abort();
  return 0;
}
