// Fuzz target: the agent's kernel command line parser must never crash or accept a bad URL/token.
#include <cassert>
#include <cstdint>
#include <string_view>

#include "provisioner/agent/kernel_cmdline.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto boot = ingot::agent::agent_boot_from_cmdline(text);
  if (boot) {
    assert(boot->server.rfind("http", 0) == 0);
    assert(!boot->token.empty());
  }
  return 0;
}
