// Fuzz target for the TFTP codec and option negotiation: any datagram decodes or fails
// cleanly, and whatever decodes re-encodes to something that decodes the same way.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "pxe/tftp_options.h"
#include "pxe/tftp_packet.h"

using namespace ingot::pxe::tftp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto p = decode(std::span<const std::uint8_t>(data, size));
  if (!p) return 0;
  if (auto* r = std::get_if<Request>(&*p)) {
    auto n = negotiate(r->options, size);
    if (n.use.blksize < kMinBlksize || n.use.blksize > kMaxBlksize || n.use.windowsize > kMaxWindowsize) std::abort();
    auto again = decode(encode(*r));
    if (!again || std::get<Request>(*again) != *r) std::abort();
  } else if (auto* o = std::get_if<Oack>(&*p)) {
    auto again = decode(encode(*o));
    if (!again || std::get<Oack>(*again) != *o) std::abort();
  } else if (auto* a = std::get_if<Ack>(&*p)) {
    if (ack_block(std::span<const std::uint8_t>(data, size)) != a->block) std::abort();
  }
  return 0;
}
