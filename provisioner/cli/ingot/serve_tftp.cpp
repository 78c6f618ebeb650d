// Starts the TFTP part of `ingot serve` from --tftp-root, --tftp-port (0 picks a free port,
// which the log line names) and --listen.
#include "common/log.h"
#include "provisioner/cli/ingot/serve_options.h"
#include "pxe/tftp_server.h"

namespace ingot::serve {
namespace {

class TftpService : public Service {
 public:
  explicit TftpService(std::unique_ptr<pxe::tftp::Server> s) : server_(std::move(s)) {}

 private:
  std::unique_ptr<pxe::tftp::Server> server_;
};

}  // namespace

Result<ServicePtr> start_tftp(asio::io_context& io, const Options& o) {
  if (o.tftp_root.empty()) return ServicePtr{};
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(o.listen, ec);
  if (ec) return fail("--listen: '" + o.listen + "' is not an IP address");
  pxe::tftp::ServerConfig config;
  config.listen = asio::ip::udp::endpoint(addr, o.tftp_port);
  config.root = o.tftp_root;
  auto server = pxe::tftp::Server::start(io, config);
  if (!server) return fail(server.error());
  return ServicePtr(std::make_unique<TftpService>(std::move(*server)));
}

}  // namespace ingot::serve
