// Fuzz target: untrusted JSON bodies through the REST API's routes (operator enrolment, the
// agent's facts, reports and callback), on a real server core with a throw-away state dir.
// Input: first byte picks the route, the rest is the body. Never a crash, never a 5xx from
// input alone.
#include <cassert>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <string>

#include "common/log.h"
#include "provisioner/server/api_routes.h"
#include "provisioner/server/provisioner.h"
#include "pxe/http_router.h"

namespace {
using namespace ingot;

struct World {
  asio::io_context io;
  std::unique_ptr<server::Provisioner> p;
  pxe::HttpRouter router;
  std::string agent_token;

  World() {
    log::set_level(log::Level::error);
    char tmpl[] = "/tmp/ingot-fuzz-api-XXXXXX";
    std::filesystem::path dir = mkdtemp(tmpl);
    std::filesystem::create_directories(dir / "roles/r");
    std::ofstream(dir / "roles/order") << "r *\n";
    std::ofstream(dir / "roles/r/hardware.spec") << "disk $d size ge(1)\n";
    server::ServerConfig cfg;
    cfg.state_dir = dir / "state";
    cfg.roles_dir = dir / "roles";
    cfg.server_url = "http://127.0.0.1:1";
    cfg.admin_token = "admin";
    auto opened = server::Provisioner::open(io, cfg, [](const power::BmcAddress&) {
      return std::unique_ptr<power::PowerDriver>();
    });
    if (!opened) std::abort();
    p = std::move(*opened);
    server::mount_api(router, *p);
    auto n = p->inventory().add_node({"fuzz", "52:54:00:00:00:01", std::nullopt, std::nullopt});
    agent_token = *p->inventory().issue_token(n->id);
  }
};

World& world() {
  static World w;
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  World& w = world();
  static const char* routes[][2] = {{"POST", "/api/v1/nodes"},        {"POST", "/api/v1/agent/facts"},
                                    {"POST", "/api/v1/agent/report"}, {"POST", "/api/v1/agent/callback"},
                                    {"POST", "/api/v1/nodes/fuzz/power"}};
  auto& route = routes[data[0] % 5];
  pxe::HttpRequest req;
  req.method = route[0];
  req.path = route[1];
  req.target = route[1];
  bool agent = req.path.rfind("/api/v1/agent/", 0) == 0;
  req.headers = {{"Authorization", std::string("Bearer ") + (agent ? w.agent_token : "admin")}};
  req.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  pxe::HttpResponse r = w.router.dispatch(req);
  // Bad input is the client's fault: 4xx, or success — never a server error.
  assert(r.status < 500);
  // Keep the node deployable so later inputs reach the matcher again.
  if (auto n = w.p->inventory().find_by_name("fuzz"); n && n->has_value() && (*n)->state == inventory::NodeState::failed)
    (void)w.p->inventory().transition((*n)->id, inventory::NodeState::inspecting, "fuzz", "reset");
  return 0;
}
