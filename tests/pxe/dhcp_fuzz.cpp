// Fuzz target for the DHCP codec: decode anything; what decodes must re-encode, and the
// re-encoding must decode to the same packet. Then the client-info and sub-option readers.
#include <cstdint>
#include <cstdlib>

#include "pxe/dhcp_client_info.h"
#include "pxe/dhcp_packet.h"

using namespace ingot::pxe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto p = decode_dhcp(std::span(data, size));
  if (!p) return 0;
  auto info = client_info(*p);
  (void)info.machine();
  for (std::uint8_t code : {opt::vendor_specific, opt::ipxe_encap})
    if (auto* v = p->options.find(code)) (void)decode_sub_options(*v);
  auto enc = encode_dhcp(*p, kMaxReplySize);
  if (!enc) return 0;  // too big to send back is fine; a crash is not
  auto again = decode_dhcp(*enc);
  if (!again || !(*again == *p)) std::abort();
  return 0;
}
