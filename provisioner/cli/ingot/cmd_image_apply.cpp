// `ingot image apply ROLE@V TARGET [--store DIR | --server URL] [--dry-run]`: brings TARGET to
// exactly the signed image (imagebuilder/apply_tree.h), from the local store or a server.
#include <chrono>
#include <iostream>

#include "common/cli.h"
#include "imagebuilder/apply_tree.h"
#include "imagebuilder/manifest_json.h"
#include "imagebuilder/signing.h"
#include "imagebuilder/store_paths.h"

namespace {
using namespace ingot::image;

int image_apply(const ingot::cli::Args& args) {
  ingot::cli::Flags f(args, {"store", "server", "state-dir", "key", "from"}, {"dry-run", "keep-extra"});
  if (!f.ok() || f.positional().size() != 2) {
    std::cerr << "usage: ingot image apply ROLE@VERSION TARGET [--store DIR | --server URL] [--from ROLE@V] [--dry-run]\n"
              << f.error() << "\n";
    return 2;
  }
  std::filesystem::path state = f.get_or("state-dir", kDefaultStateDir.string());
  std::unique_ptr<ImageSource> source;
  std::optional<ObjectStore> store;
  if (auto url = f.get("server")) {
    source = http_source(*url);
  } else {
    auto s = ObjectStore::open(f.get_or("store", default_store_dir(state).string()));
    if (!s) {
      std::cerr << "ingot image apply: " << s.error().message() << "\n";
      return 1;
    }
    store.emplace(std::move(*s));
    source = store_source(*store, f.get_or("key", (default_key_dir(state) / kPublicKeyFile).string()));
  }
  std::vector<std::string> plan;
  ApplyOptions opt;
  opt.dry_run = f.has("dry-run");
  opt.remove_extra = !f.has("keep-extra");
  opt.plan = &plan;
  // --from: the version TARGET is believed to be at. Only a hint (unchanged files are then
  // recognised by size and mtime, without reading them), so its signature is not needed.
  Manifest believed;
  if (auto from = f.get("from")) {
    std::string resolved_from;
    auto text = source->manifest_text(*from, &resolved_from);
    auto m = text ? parse_manifest(*text) : ingot::Result<Manifest>(ingot::fail(text.error()));
    if (!m) {
      std::cerr << "ingot image apply: --from " << *from << ": " << m.error().message() << "\n";
      return 1;
    }
    believed = std::move(*m);
    opt.believed = &believed;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::string resolved;
  auto r = apply_image(*source, f.positional()[0], f.positional()[1], opt, &resolved);
  if (!r) {
    std::cerr << "ingot image apply: " << r.error().message() << "\n";
    return 1;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (opt.dry_run)
    for (auto& line : plan) std::cout << line << "\n";
  std::cout << resolved << (opt.dry_run ? " (dry run)" : "") << ": " << r->entries << " entries, " << r->files_written
            << " files written (" << r->bytes_written << " bytes), " << r->files_reused << " unchanged, " << r->removed
            << " removed, " << r->files_via_delta << " via deltas (" << r->bytes_delta << " bytes), "
            << r->bytes_fetched << " bytes fetched from " << source->describe() << " in " << secs
            << " s\n";
  return 0;
}

}  // namespace

INGOT_COMMAND("image apply", "lay a signed image onto a directory (--store DIR | --server URL) [--from ROLE@V] [--dry-run]",
              image_apply);
