// Fuzz target: untrusted JSON bodies through the upgrade routes (rollout create with dry run,
// rollout actions, single-node upgrade, the agent's upgrade report) on a real server core with
// a throw-away state dir holding two images of role "tiny" and one configured node on tiny@1.
// Input: first byte picks the route, the rest is the body. Never a crash, never a 5xx.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "imagebuilder/manifest_json.h"
#include "imagebuilder/object_store.h"
#include "tests/provisioner/fuzz_api_world.h"

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

void store_images(const std::filesystem::path& state_dir) {
  auto store = image::ObjectStore::open(state_dir / "images");
  if (!store) std::abort();
  store_image(*store, "1", "one");
  store_image(*store, "2", "two");
}

struct World : fuzz::ApiWorld {
  World() : fuzz::ApiWorld("ingot-fuzz-rollout", "tiny", store_images) {
    auto& inv = p->inventory();
    for (auto s : {NodeState::inspecting, NodeState::matched, NodeState::deploying, NodeState::deployed, NodeState::configured})
      if (!inv.transition(node_id, s, "fuzz", "setup")) std::abort();
    (void)inv.set_match(node_id, "tiny", nlohmann::json::object(), nlohmann::json::object());
    (void)inv.set_image(node_id, "tiny@1");
  }
};

World& world() {
  static World w;
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* routes[] = {"/api/v1/rollouts",         "/api/v1/nodes/fuzz/upgrade", "/api/v1/agent/upgrade",
                                 "/api/v1/rollouts/1/pause", "/api/v1/rollouts/1/resume",  "/api/v1/rollouts/1/abort"};
  world().post(routes[data[0] % 6], data + 1, size - 1);
  return 0;
}
