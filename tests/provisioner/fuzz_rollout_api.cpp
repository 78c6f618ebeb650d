// Fuzz target: untrusted JSON bodies through the upgrade routes (rollout create with dry run,
// rollout actions, single-node upgrade, the agent's upgrade report) on a real server core with
// a throw-away state dir holding two images of role "tiny" and one configured node on tiny@1.
// Input: first byte picks the route, the rest is the body. Never a crash, never a 5xx.
#include <cassert>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/log.h"
#include "imagebuilder/manifest_json.h"
#include "imagebuilder/object_store.h"
#include "provisioner/server/api_routes.h"
#include "provisioner/server/provisioner.h"
#include "pxe/http_router.h"

namespace {
using namespace ingot;
using inventory::NodeState;

void store_image(const image::ObjectStore& store, const std::string& version, const std::string& content) {
  auto put = store.put_bytes(content);
  if (!put) std::abort();
  image::Manifest m;
  m.name = "tiny";
  m.version = version;
  image::Entry root{".", image::EntryType::dir, 0755};
  image::Entry f{"app", image::EntryType::file, 0644};
  f.size = put->size;
  f.sha256 = put->digest;
  m.entries = {root, f};
  if (!store.put_image(m.ref(), image::manifest_to_json(m), "unsigned")) std::abort();
}

struct World {
  asio::io_context io;
  std::unique_ptr<server::Provisioner> p;
  pxe::HttpRouter router;
  std::string agent_token;

  World() {
    log::set_level(log::Level::error);
    char tmpl[] = "/tmp/ingot-fuzz-rollout-XXXXXX";
    std::filesystem::path dir = mkdtemp(tmpl);
    std::filesystem::create_directories(dir / "roles/tiny");
    std::ofstream(dir / "roles/order") << "tiny *\n";
    std::ofstream(dir / "roles/tiny/hardware.spec") << "disk $d size ge(1)\n";
    server::ServerConfig cfg;
    cfg.state_dir = dir / "state";
    cfg.roles_dir = dir / "roles";
    cfg.server_url = "http://127.0.0.1:1";
    cfg.admin_token = "admin";
    auto store = image::ObjectStore::open(cfg.state_dir / "images");
    if (!store) std::abort();
    store_image(*store, "1", "one");
    store_image(*store, "2", "two");
    auto opened = server::Provisioner::open(io, cfg, [](const power::BmcAddress&) {
      return std::unique_ptr<power::PowerDriver>();
    });
    if (!opened) std::abort();
    p = std::move(*opened);
    server::mount_api(router, *p);
    auto& inv = p->inventory();
    auto n = inv.add_node({"fuzz", "52:54:00:00:00:01", std::nullopt, std::nullopt});
    for (auto s : {NodeState::inspecting, NodeState::matched, NodeState::deploying, NodeState::deployed, NodeState::configured})
      if (!inv.transition(n->id, s, "fuzz", "setup")) std::abort();
    (void)inv.set_match(n->id, "tiny", nlohmann::json::object(), nlohmann::json::object());
    (void)inv.set_image(n->id, "tiny@1");
    agent_token = *inv.issue_token(n->id);
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
  static const char* routes[][2] = {{"POST", "/api/v1/rollouts"},           {"POST", "/api/v1/nodes/fuzz/upgrade"},
                                    {"POST", "/api/v1/agent/upgrade"},      {"POST", "/api/v1/rollouts/1/pause"},
                                    {"POST", "/api/v1/rollouts/1/resume"},  {"POST", "/api/v1/rollouts/1/abort"}};
  auto& route = routes[data[0] % 6];
  pxe::HttpRequest req;
  req.method = route[0];
  req.path = route[1];
  req.target = route[1];
  bool agent = req.path.rfind("/api/v1/agent/", 0) == 0;
  req.headers = {{"Authorization", std::string("Bearer ") + (agent ? w.agent_token : "admin")}};
  req.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  pxe::HttpResponse r = w.router.dispatch(req);
  // Bad input is the client's fault: 4xx or success, never a server error (abort, not assert:
  // the replay build may have NDEBUG).
  if (r.status >= 500) std::abort();
  return 0;
}
