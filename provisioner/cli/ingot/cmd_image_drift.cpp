// `ingot image verify ROLE@V --target DIR [--full] [--json]`: drift between a signed image and
// a tree (imagebuilder/tree_drift.h). Exit 0: clean, 1: drift, 2: error (usage, no image, bad
// signature, unreadable target), so scripts and the upgrade engine can tell them apart.
#include <chrono>
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/cli.h"
#include "imagebuilder/image_verify.h"
#include "imagebuilder/store_paths.h"
#include "imagebuilder/tree_drift.h"

namespace {
namespace fs = std::filesystem;
using namespace ingot::image;

constexpr const char* kUsage = "image verify ROLE@VERSION --target DIR [--full] [--json] [--store DIR] [--pubkey FILE]";

int error(const std::string& msg) {
  std::cerr << "ingot image verify: " << msg << "\n";
  return 2;
}

}  // namespace

// Called by `image verify` (cmd_image.cpp) when --target is given.
int image_verify_target(const ingot::cli::Args& args) {
  ingot::cli::Flags f(args, {"store", "state-dir", "pubkey", "target"}, {"full", "json"});
  if (!f.ok() || f.positional().size() != 1 || !f.get("target")) {
    std::cerr << f.error() << "\nusage: ingot " << kUsage << "\n";
    return 2;
  }
  auto ref = parse_image_ref(f.positional()[0]);
  if (!ref) return error(ref.error().message());
  fs::path state = f.get_or("state-dir", kDefaultStateDir.string());
  auto store = ObjectStore::open(f.get_or("store", default_store_dir(state).string()));
  if (!store) return error(store.error().message());
  auto key = VerifyKey::load(f.get_or("pubkey", (default_key_dir(state) / kPublicKeyFile).string()));
  if (!key) return error("no trusted public key: " + key.error().message() + " (use --pubkey FILE)");
  auto m = load_verified_manifest(*store, *ref, *key);
  if (!m) return error(m.error().message());
  fs::path target = *f.get("target");
  auto mode = f.has("full") ? DriftMode::full : DriftMode::quick;
  auto t0 = std::chrono::steady_clock::now();
  auto drift = find_drift(*m, target, mode);
  if (!drift) return error(drift.error().message());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (f.has("json")) {
    auto list = nlohmann::json::array();
    for (auto& d : *drift) list.push_back({{"path", d.path}, {"kind", to_string(d.kind)}, {"detail", d.detail}});
    std::cout << nlohmann::json{{"image", ref->str()}, {"target", target.string()}, {"mode", f.has("full") ? "full" : "quick"},
                                {"entries", m->entries.size()}, {"clean", drift->empty()}, {"count", drift->size()},
                                {"seconds", secs}, {"drift", list}}
                     .dump(2)
              << "\n";
  } else {
    for (auto& d : *drift)
      std::cout << to_string(d.kind) << "\t" << d.path << (d.detail.empty() ? "" : "\t" + d.detail) << "\n";
    std::cerr << ref->str() << " on " << target.string() << " (" << (f.has("full") ? "full" : "quick") << "): "
              << (drift->empty() ? "clean" : std::to_string(drift->size()) + " difference(s)") << ", "
              << m->entries.size() << " entries in " << secs << " s\n";
  }
  return drift->empty() ? 0 : 1;
}
