// Starts the DHCP part of `ingot serve`. Placeholder until pxe/ has a DHCP server: refuses
// to start rather than pretend.
#include "provisioner/cli/ingot/serve_options.h"

namespace ingot::serve {

Result<ServicePtr> start_dhcp(asio::io_context&, const Options& o, pxe::BootPolicy&) {
  if (o.dhcp_mode == "off") return ServicePtr{};
  return fail("DHCP is not implemented yet");
}

}  // namespace ingot::serve
