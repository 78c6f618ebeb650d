// Starts the HTTP part of `ingot serve`: the boot plane's routes (per-machine iPXE scripts,
// static boot files from --http-root) on the one HTTP server, which later parts of ingot
// (API, image store) mount their routes on too.
#include <cstdlib>
#include <cstring>

#include "provisioner/cli/ingot/serve_options.h"
#include "pxe/http_boot_routes.h"
#include "pxe/http_server.h"

namespace ingot::serve {
namespace {

class HttpService final : public Service {
 public:
  explicit HttpService(std::unique_ptr<pxe::HttpServer> s) : server_(std::move(s)) {}

 private:
  std::unique_ptr<pxe::HttpServer> server_;
};

}  // namespace

Result<ServicePtr> start_http(asio::io_context& io, const Options& o, pxe::BootPolicy& policy) {
  if (o.http_port == 0) return ServicePtr{};
  std::optional<pxe::HttpRoot> root;
  if (!o.http_root.empty()) {
    auto r = pxe::HttpRoot::open(o.http_root);
    if (!r) return fail("--http-root: " + r.error().message());
    root = std::move(*r);
  }
  pxe::HttpRouter router;
  pxe::mount_boot_routes(router, policy, std::move(root));
  if (o.extra_routes) o.extra_routes(router);
  pxe::HttpServerSettings settings;
  settings.address = o.listen;
  settings.port = o.http_port;
  // Benchmark switch (bench/http.sh): INGOT_HTTP_FILE_IO=pread sends files by pread+write.
  if (const char* io_mode = std::getenv("INGOT_HTTP_FILE_IO"); io_mode && std::strcmp(io_mode, "pread") == 0)
    settings.use_sendfile = false;
  auto server = pxe::HttpServer::start(io, settings, std::move(router));
  if (!server) return fail(server.error());
  return ServicePtr(new HttpService(std::move(*server)));
}

}  // namespace ingot::serve
