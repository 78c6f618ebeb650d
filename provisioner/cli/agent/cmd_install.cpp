// `ingot-agent install ROLE@V --server URL --target DIR`: the deploy's image phase on its own —
// lays the signed image onto DIR exactly as `ingot-agent run` does and records it under
// DIR/var/lib/ingot/image (image_state.h), so a tree can be upgraded later (tests, bench, rescue).
#include <iostream>

#include "common/cli.h"
#include "provisioner/agent/image_install.h"

namespace {

int run(const ingot::cli::Args& args) {
  ingot::cli::Flags f(args, {"server", "target"});
  if (!f.ok() || f.positional().size() != 1 || !f.get("server") || !f.get("target")) {
    std::cerr << "ingot-agent install: " << (f.ok() ? "missing arguments" : f.error())
              << "\nusage: ingot-agent install ROLE@V --server URL --target DIR\n";
    return 2;
  }
  nlohmann::json plan = {{"image", f.positional()[0]}};
  auto r = ingot::agent::install_image(*f.get("server"), "", plan, *f.get("target"), [](const nlohmann::json&) {});
  if (!r) {
    std::cerr << "ingot-agent install: " << r.error().message() << "\n";
    return 1;
  }
  std::cout << "installed " << f.positional()[0] << ": " << r->files << " files, " << r->bytes << " bytes fetched\n";
  return 0;
}

}  // namespace

INGOT_COMMAND("install", "lay a signed image onto a directory as the deploy does, and record it for upgrades", run);
