// Starts the TFTP part of `ingot serve`. Placeholder until pxe/ has a TFTP server: refuses
// to start rather than pretend.
#include "provisioner/cli/ingot/serve_options.h"

namespace ingot::serve {

Result<ServicePtr> start_tftp(asio::io_context&, const Options& o) {
  if (o.tftp_root.empty()) return ServicePtr{};
  return fail("TFTP is not implemented yet");
}

}  // namespace ingot::serve
