#include "imagebuilder/image_publish.h"

#include <algorithm>

#include "imagebuilder/manifest_json.h"
#include "imagebuilder/manifest_validate.h"

namespace ingot::image {
namespace {

// dpkg's status file in a tree is well under this; larger means it is not one.
constexpr std::uint64_t kMaxDpkgStatus = 64ULL << 20;
constexpr const char* kDpkgStatusPath = "var/lib/dpkg/status";

PackageSet packages_of(const ObjectStore& store, const Manifest& m) {
  const Entry* e = m.find(kDpkgStatusPath);
  if (e) e = m.resolve(*e);
  if (!e || e->type != EntryType::file || e->size > kMaxDpkgStatus) return {};
  auto text = store.read_object_bytes(e->sha256, e->size);
  return text ? parse_dpkg_status(*text) : PackageSet{};
}

}  // namespace

Result<PublishResult> publish_tree(const ObjectStore& store, const SigningKey& key, const PublishRequest& req) {
  if (store.has_image(req.ref)) return fail("image " + req.ref.str() + " already exists (versions are immutable)");
  auto lock = store.lock_shared();  // keeps gc from deleting objects before the manifest lands
  if (!lock) return fail(lock.error());
  PublishResult out;
  Manifest& m = out.manifest;
  m.name = req.ref.role;
  m.version = req.ref.version;
  m.keep = req.keep;
  ScanOptions opt;
  opt.clamp_mtime = req.source_date;
  opt.store = &store;
  opt.threads = req.threads;
  opt.progress = req.progress;
  auto stats = scan_tree(req.tree, opt, m);
  if (!stats) return fail(stats.error());
  out.stats = std::move(*stats);
  if (req.source_date) {
    m.created = *req.source_date;
  } else {
    // Deterministic without SOURCE_DATE_EPOCH: the same tree gives the same value.
    for (auto& e : m.entries) m.created = std::max(m.created, e.mtime);
  }
  canonicalise(m);
  if (auto r = validate_manifest(m); !r) return fail(req.tree.string() + " cannot become an image: " + r.error().message());
  std::string text = manifest_to_json(m);
  out.manifest_sha256 = sha256(text).hex();
  auto sig = key.sign(text);
  if (!sig) return fail(sig.error());

  auto prev = store.previous_version(req.ref.role, req.ref.version);
  if (prev && *prev) {
    out.previous = **prev;
    if (auto pm = store.load_manifest(**prev)) {
      out.diff = diff_manifests(*pm, m);
      out.package_diff = diff_packages(packages_of(store, *pm), packages_of(store, m));
    }
  } else {
    out.diff = diff_manifests(Manifest{}, m);
  }
  out.packages = packages_of(store, m);
  if (auto r = store.put_image(req.ref, text, *sig); !r) return fail(r.error());
  return out;
}

}  // namespace ingot::image
