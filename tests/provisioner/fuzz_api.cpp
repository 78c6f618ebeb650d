// Fuzz target: untrusted JSON bodies through the REST API's routes (operator enrolment, the
// agent's facts, reports and callback), on a real server core with a throw-away state dir.
// Input: first byte picks the route, the rest is the body. Never a crash, never a 5xx from
// input alone.
#include <cstdint>

#include "tests/provisioner/fuzz_api_world.h"

namespace {
using namespace ingot;

fuzz::ApiWorld& world() {
  static fuzz::ApiWorld w("ingot-fuzz-api", "r");
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  fuzz::ApiWorld& w = world();
  static const char* routes[] = {"/api/v1/nodes", "/api/v1/agent/facts", "/api/v1/agent/report",
                                 "/api/v1/agent/callback", "/api/v1/nodes/fuzz/power"};
  w.post(routes[data[0] % 5], data + 1, size - 1);
  // Keep the node deployable so later inputs reach the matcher again.
  if (auto n = w.p->inventory().find_by_name("fuzz"); n && n->has_value() && (*n)->state == inventory::NodeState::failed)
    (void)w.p->inventory().transition((*n)->id, inventory::NodeState::inspecting, "fuzz", "reset");
  return 0;
}
