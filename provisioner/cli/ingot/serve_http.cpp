// Starts the HTTP part of `ingot serve`. Placeholder until pxe/ has a HTTP server: refuses
// to start rather than pretend.
#include "provisioner/cli/ingot/serve_options.h"

namespace ingot::serve {

Result<ServicePtr> start_http(asio::io_context&, const Options& o, pxe::BootPolicy&) {
  if (o.http_port == 0) return ServicePtr{};
  return fail("HTTP is not implemented yet");
}

}  // namespace ingot::serve
