// `ingot image list | show | diff | verify | gc`: looking after the image store.
// (`image build` is in cmd_image_build.cpp.)
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/cli.h"
#include "imagebuilder/image_verify.h"
#include "imagebuilder/manifest_diff.h"
#include "imagebuilder/manifest_json.h"
#include "imagebuilder/progress_line.h"
#include "imagebuilder/store_paths.h"

int image_verify_target(const ingot::cli::Args& args);  // cmd_image_drift.cpp

namespace {

namespace fs = std::filesystem;
using namespace ingot::image;

int usage(const std::string& text, const std::string& err = {}) {
  if (!err.empty()) std::cerr << err << "\n";
  std::cerr << "usage: ingot " << text << "\n";
  return 2;
}

int error(const std::string& cmd, const std::string& msg) {
  std::cerr << "ingot " << cmd << ": " << msg << "\n";
  return 1;
}

// --store DIR, else <--state-dir>/images.
ingot::Result<ObjectStore> open_store(const ingot::cli::Flags& f) {
  fs::path state = f.get_or("state-dir", kDefaultStateDir.string());
  return ObjectStore::open(f.get_or("store", default_store_dir(state).string()));
}

int image_list(const ingot::cli::Args& args) {
  ingot::cli::Flags f(args, {"store", "state-dir"}, {"json"});
  if (!f.ok() || !f.positional().empty()) return usage("image list [--store DIR] [--json]", f.error());
  auto store = open_store(f);
  if (!store) return error("image list", store.error().message());
  auto images = store->list_images();
  if (!images) return error("image list", images.error().message());
  auto out = nlohmann::json::array();
  for (auto& ref : *images) {
    auto m = store->load_manifest(ref);
    std::uint64_t bytes = 0;
    std::size_t entries = m ? m->entries.size() : 0;
    if (m)
      for (auto& e : m->entries) bytes += e.type == EntryType::file ? e.size : 0;
    bool signed_ = fs::exists(store->image_dir(ref) / kSignatureFile);
    if (f.has("json")) {
      out.push_back({{"image", ref.str()}, {"entries", entries}, {"bytes", bytes}, {"signed", signed_}, {"valid", bool(m)}});
    } else {
      std::cout << ref.str() << "\t" << entries << " entries\t" << human_bytes(bytes) << (signed_ ? "" : "\tUNSIGNED")
                << (m ? "" : "\tINVALID: " + m.error().message()) << "\n";
    }
  }
  if (f.has("json")) std::cout << out.dump(2) << "\n";
  return 0;
}

int image_show(const ingot::cli::Args& args) {
  ingot::cli::Flags f(args, {"store", "state-dir"}, {"manifest"});
  if (!f.ok() || f.positional().size() != 1) return usage("image show ROLE@VERSION [--store DIR] [--manifest]", f.error());
  auto ref = parse_image_ref(f.positional()[0]);
  if (!ref) return error("image show", ref.error().message());
  auto store = open_store(f);
  if (!store) return error("image show", store.error().message());
  if (f.has("manifest")) {
    auto text = store->read_manifest_text(*ref);
    if (!text) return error("image show", text.error().message());
    std::cout << *text;
    return 0;
  }
  auto m = store->load_manifest(*ref);
  if (!m) return error("image show", m.error().message());
  std::size_t counts[7] = {};
  std::uint64_t bytes = 0;
  for (auto& e : m->entries) {
    ++counts[static_cast<int>(e.type)];
    if (e.type == EntryType::file) bytes += e.size;
  }
  auto text = store->read_manifest_text(*ref);
  nlohmann::json j{{"image", ref->str()},
                   {"created", m->created},
                   {"manifest_sha256", text ? sha256(*text).hex() : ""},
                   {"entries", m->entries.size()},
                   {"content_bytes", bytes},
                   {"keep", m->keep}};
  for (int t = 0; t < 7; ++t) j["types"][std::string(to_string(static_cast<EntryType>(t)))] = counts[t];
  std::cout << j.dump(2) << "\n";
  return 0;
}

int image_diff(const ingot::cli::Args& args) {
  ingot::cli::Flags f(args, {"store", "state-dir"}, {"json"});
  if (!f.ok() || f.positional().size() != 2) return usage("image diff ROLE@A ROLE@B [--store DIR] [--json]", f.error());
  auto store = open_store(f);
  if (!store) return error("image diff", store.error().message());
  Manifest m[2];
  for (int i = 0; i < 2; ++i) {
    auto ref = parse_image_ref(f.positional()[static_cast<std::size_t>(i)]);
    if (!ref) return error("image diff", ref.error().message());
    auto loaded = store->load_manifest(*ref);
    if (!loaded) return error("image diff", loaded.error().message());
    m[i] = std::move(*loaded);
  }
  auto d = diff_manifests(m[0], m[1]);
  if (f.has("json")) {
    nlohmann::json changed = nlohmann::json::object();
    for (auto& c : d.changed) changed[c.path] = c.what;
    std::cout << nlohmann::json{{"added", d.added}, {"removed", d.removed}, {"changed", changed}}.dump(2) << "\n";
  } else {
    for (auto& p : d.added) std::cout << "+ " << p << "\n";
    for (auto& p : d.removed) std::cout << "- " << p << "\n";
    for (auto& c : d.changed) {
      std::cout << "~ " << c.path << " (";
      for (std::size_t i = 0; i < c.what.size(); ++i) std::cout << (i ? ", " : "") << c.what[i];
      std::cout << ")\n";
    }
    std::cerr << d.added.size() << " added, " << d.removed.size() << " removed, " << d.changed.size() << " changed\n";
  }
  return 0;
}

int image_verify(const ingot::cli::Args& args) {
  for (auto& a : args)
    if (a == "--target" || a.starts_with("--target=")) return image_verify_target(args);
  ingot::cli::Flags f(args, {"store", "state-dir", "pubkey"});
  if (!f.ok() || f.positional().size() != 1)
    return usage("image verify ROLE@VERSION [--store DIR] [--pubkey FILE]", f.error());
  auto ref = parse_image_ref(f.positional()[0]);
  if (!ref) return error("image verify", ref.error().message());
  auto store = open_store(f);
  if (!store) return error("image verify", store.error().message());
  fs::path state = f.get_or("state-dir", kDefaultStateDir.string());
  auto key = VerifyKey::load(f.get_or("pubkey", (default_key_dir(state) / kPublicKeyFile).string()));
  if (!key) return error("image verify", "no trusted public key: " + key.error().message() + " (use --pubkey FILE)");
  ProgressLine bar("verify " + ref->str());
  auto rep = verify_image(*store, *ref, *key, [&](std::size_t d, std::size_t t) { bar.update(d, t, 0); });
  for (auto& p : rep.problems) std::cerr << "  " << p << "\n";
  bar.finish(rep.ok() ? "OK: signature by " + key->fingerprint() + ", " + std::to_string(rep.objects_checked) + " objects verified"
                      : "FAILED: " + std::to_string(rep.problems.size()) + " problem(s)");
  return rep.ok() ? 0 : 1;
}

int image_gc(const ingot::cli::Args& args) {
  ingot::cli::Flags f(args, {"store", "state-dir"}, {"dry-run"});
  if (!f.ok() || !f.positional().empty()) return usage("image gc [--store DIR] [--dry-run]", f.error());
  auto store = open_store(f);
  if (!store) return error("image gc", store.error().message());
  auto rep = store->gc(f.has("dry-run"));
  if (!rep) return error("image gc", rep.error().message());
  std::cout << (f.has("dry-run") ? "would remove " : "removed ") << rep->objects_removed << " objects ("
            << human_bytes(rep->bytes_freed) << "), kept " << rep->objects_kept << ", stale temp files: " << rep->temp_files_removed << ", deltas: " << rep->deltas_removed
            << "\n";
  return 0;
}

}  // namespace

INGOT_COMMAND("image list", "list the images in the store", image_list);
INGOT_COMMAND("image show", "show an image's summary or its manifest", image_show);
INGOT_COMMAND("image diff", "paths added, removed and changed between two images", image_diff);
INGOT_COMMAND("image verify",
              "check an image's signature and every object's hash; with --target DIR [--full], the tree's drift",
              image_verify);
INGOT_COMMAND("image gc", "remove objects no image references", image_gc);
