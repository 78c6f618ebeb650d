// The world the REST API fuzz targets run in: a real server core over a throw-away state dir
// with one role (any machine with a disk), the API mounted on a router, and one enrolled node
// "fuzz" with its agent token. Header-only: each fuzz target is built from one source file.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include "common/log.h"
#include "provisioner/server/api_routes.h"
#include "provisioner/server/provisioner.h"
#include "pxe/http_router.h"

namespace ingot::fuzz {

struct ApiWorld {
  // Removed last, after the server that writes into it.
  struct ScratchDir {
    std::filesystem::path path;
    ~ScratchDir() {
      std::error_code ec;
      if (!path.empty()) std::filesystem::remove_all(path, ec);
    }
  } scratch;
  asio::io_context io;
  std::unique_ptr<server::Provisioner> p;
  pxe::HttpRouter router;
  std::string agent_token;
  std::int64_t node_id = 0;

  // `seed_state` fills the state dir before the server opens it (what it must find at start,
  // such as images). Set-up failures abort: a fuzz run over a broken world proves nothing.
  ApiWorld(const std::string& tmp_name, const std::string& role,
           const std::function<void(const std::filesystem::path& state_dir)>& seed_state = {}) {
    log::set_level(log::Level::error);
    std::string tmpl = "/tmp/" + tmp_name + "-XXXXXX";
    if (!mkdtemp(tmpl.data())) std::abort();
    scratch.path = tmpl;
    const std::filesystem::path& dir = scratch.path;
    std::filesystem::create_directories(dir / "roles" / role);
    std::ofstream(dir / "roles/order") << role << " *\n";
    std::ofstream(dir / "roles" / role / "hardware.spec") << "disk $d size ge(1)\n";
    server::ServerConfig cfg;
    cfg.state_dir = dir / "state";
    cfg.roles_dir = dir / "roles";
    cfg.server_url = "http://127.0.0.1:1";
    cfg.admin_token = "admin";
    if (seed_state) seed_state(cfg.state_dir);
    auto opened = server::Provisioner::open(io, cfg, [](const power::BmcAddress&) {
      return std::unique_ptr<power::PowerDriver>();
    });
    if (!opened) std::abort();
    p = std::move(*opened);
    server::mount_api(router, *p);
    auto n = p->inventory().add_node({"fuzz", "52:54:00:00:00:01", std::nullopt, std::nullopt});
    if (!n) std::abort();
    node_id = n->id;
    auto token = p->inventory().issue_token(node_id);
    if (!token) std::abort();
    agent_token = *token;
  }

  // POSTs `body` to `path` as the agent on agent routes and as the operator elsewhere. Bad input
  // is the client's fault: 4xx or success, never a server error (abort, not assert: the replay
  // build may have NDEBUG).
  pxe::HttpResponse post(const std::string& path, const std::uint8_t* body, std::size_t size) {
    pxe::HttpRequest req;
    req.method = "POST";
    req.path = path;
    req.target = path;
    bool agent = path.rfind("/api/v1/agent/", 0) == 0;
    req.headers = {{"Authorization", std::string("Bearer ") + (agent ? agent_token : "admin")}};
    req.body.assign(reinterpret_cast<const char*>(body), size);
    pxe::HttpResponse r = router.dispatch(req);
    if (r.status >= 500) std::abort();
    return r;
  }
};

}  // namespace ingot::fuzz
