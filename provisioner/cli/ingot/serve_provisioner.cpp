// `ingot serve --roles DIR`: the provisioner behind the boot plane. Everything lives under
// --state-dir: ingot.db, images/ (the store), keys/ (image signing), ramdisk/ (the deploy
// kernel + initramfs), admin.token (created at first start unless INGOT_TOKEN is set) and
// an optional authorized_keys handed to every deployed node.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include "common/log.h"
#include "imagebuilder/file_io.h"
#include "imagebuilder/signing.h"
#include "imagebuilder/store_paths.h"
#include "provisioner/cli/ingot/serve_options.h"
#include "provisioner/inventory/token.h"
#include "provisioner/power/ipmi_driver.h"
#include "provisioner/server/api_routes.h"
#include "provisioner/server/provisioner.h"
#include "pxe/http_static_files.h"

namespace ingot::serve {
namespace fs = std::filesystem;

namespace {

Result<std::string> admin_token(const fs::path& state_dir) {
  if (const char* t = std::getenv("INGOT_TOKEN"); t && *t) return std::string(t);
  fs::path file = state_dir / "admin.token";
  std::ifstream in(file);
  std::string token;
  if (in && std::getline(in, token) && !token.empty()) return token;
  token = inventory::random_token();
  // 0600 from the first byte (a temporary file made by mkstemp), never readable by others.
  if (auto w = image::write_file_atomic(file, token + "\n", 0600); !w) return fail(w.error());
  INGOT_LOG(info, "serve") << "operator token created in " << file.string();
  return token;
}

std::vector<std::string> ssh_keys(const fs::path& file) {
  std::vector<std::string> keys;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') keys.push_back(line);
  return keys;
}

}  // namespace

Result<std::unique_ptr<server::Provisioner>> start_provisioner(asio::io_context& io, Options& o) {
  std::string host = o.advertise.empty() ? o.listen : o.advertise;
  if (host.empty() || host == "0.0.0.0")
    return fail("--roles needs the address machines reach this server on: give --listen ADDR or --advertise ADDR");
  if (o.http_port == 0) return fail("--roles needs HTTP (--http-port): the agent and the API speak HTTP");
  std::error_code ec;
  fs::create_directories(o.state_dir, ec);
  if (ec) return fail(ec, "--state-dir " + o.state_dir.string());
  auto token = admin_token(o.state_dir);
  if (!token) return fail(token.error());

  server::ServerConfig cfg;
  cfg.state_dir = o.state_dir;
  cfg.roles_dir = o.roles_dir;
  cfg.server_url = "http://" + host + ":" + std::to_string(o.http_port);
  cfg.admin_token = *token;
  cfg.ssh_keys = ssh_keys(o.state_dir / "authorized_keys");
  cfg.upgrade_report_timeout_s = o.upgrade_timeout_s;
  if (o.reservation_ttl_s > 0) cfg.reservation_ttl_s = o.reservation_ttl_s;
  cfg.discovery.enabled = o.discover;
  if (o.discover_cap > 0) cfg.discovery.cap = o.discover_cap;
  auto p = server::Provisioner::open(io, cfg, power::ipmi_driver_factory());
  if (!p) return fail(p.error());

  server::Provisioner* prov = p->get();
  prov->start_sweeps();
  fs::path store = image::default_store_dir(o.state_dir);
  fs::path pubkey = image::default_key_dir(o.state_dir) / image::kPublicKeyFile;
  fs::create_directories(o.state_dir / "ramdisk", ec);
  auto ramdisk_root = pxe::HttpRoot::open(o.state_dir / "ramdisk");
  if (!ramdisk_root) return fail("ramdisk directory: " + ramdisk_root.error().message());
  auto ramdisk = std::make_shared<pxe::HttpStaticFiles>(std::move(*ramdisk_root));
  o.extra_routes = [prov, store, pubkey, ramdisk](pxe::HttpRouter& router) {
    server::mount_api(router, *prov);
    server::mount_images(router, store, pubkey);
    router.add("GET", "/ingot/ramdisk/", [ramdisk](const pxe::HttpRequest& req) {
      pxe::HttpRequest inner = req;
      inner.path = req.path.substr(std::string("/ingot/ramdisk").size());
      return ramdisk->serve(inner);
    });
  };
  if (!fs::exists(o.state_dir / "ramdisk/vmlinuz"))
    INGOT_LOG(warn, "serve") << "no deploy ramdisk in " << (o.state_dir / "ramdisk").string()
                             << ": run `ingot ramdisk build --out " << (o.state_dir / "ramdisk").string() << "`";
  INGOT_LOG(info, "serve") << "provisioner: " << cfg.server_url << ", state " << o.state_dir.string() << ", "
                           << prov->roles().size() << " role(s)";
  return p;
}

}  // namespace ingot::serve
