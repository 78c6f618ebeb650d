// ObjectStore: images (manifest + signature per role@version) and garbage collection.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "imagebuilder/delta_store.h"
#include "imagebuilder/manifest_json.h"
#include "imagebuilder/object_store.h"
#include "imagebuilder/signing.h"

namespace ingot::image {
namespace {

namespace fs = std::filesystem;

// Temp files older than this are leftovers of a crashed build, not a build in progress
// (which holds the shared lock anyway while gc waits for the exclusive one).
constexpr auto kStaleTempAge = std::chrono::hours(1);

}  // namespace

fs::path ObjectStore::image_dir(const ImageRef& ref) const { return root_ / "images" / ref.role / ref.version; }

bool ObjectStore::has_image(const ImageRef& ref) const {
  std::error_code ec;
  return fs::is_regular_file(image_dir(ref) / kManifestFile, ec);
}

Result<void> ObjectStore::put_image(const ImageRef& ref, std::string_view manifest_json, std::string_view signature) const {
  if (auto r = check_role_name(ref.role); !r) return r;
  if (auto r = check_version(ref.version); !r) return r;
  if (has_image(ref)) return fail("image " + ref.str() + " already exists in " + root_.string() + " (versions are immutable)");
  std::error_code ec;
  auto role_dir = root_ / "images" / ref.role;
  fs::create_directories(role_dir, ec);
  if (ec) return fail(ec, "cannot create " + role_dir.string() + ": " + ec.message());
  // Assemble in a temp dir, then rename: readers see the complete image or none of it.
  std::string staging = (root_ / "tmp" / ("image.XXXXXX")).string();
  if (!::mkdtemp(staging.data())) return errno_error("cannot create a staging directory in", root_ / "tmp");
  auto drop = [&](Error e) {
    fs::remove_all(staging, ec);
    return fail(std::move(e));
  };
  if (auto r = write_file_atomic(fs::path(staging) / kManifestFile, manifest_json); !r) return drop(r.error());
  if (auto r = write_file_atomic(fs::path(staging) / kSignatureFile, signature); !r) return drop(r.error());
  ::chmod(staging.c_str(), 0755);
  if (::rename(staging.c_str(), image_dir(ref).c_str()) != 0)
    return drop(errno_error("cannot publish image " + ref.str() + " at", image_dir(ref)).error);
  return ok();
}

Result<std::string> ObjectStore::read_manifest_text(const ImageRef& ref) const {
  if (!has_image(ref)) return fail(std::make_error_code(std::errc::no_such_file_or_directory),
                                   "no image " + ref.str() + " in " + root_.string());
  return read_file_limited(image_dir(ref) / kManifestFile, kMaxManifestBytes);
}

Result<std::string> ObjectStore::read_signature(const ImageRef& ref) const {
  auto path = image_dir(ref) / kSignatureFile;
  std::error_code ec;
  if (!fs::exists(path, ec)) return fail("image " + ref.str() + " has no signature (" + path.string() + " is missing)");
  return read_file_limited(path, kMaxSignatureFileBytes);
}

Result<Manifest> ObjectStore::load_manifest(const ImageRef& ref, const ManifestPolicy& policy) const {
  auto text = read_manifest_text(ref);
  if (!text) return fail(text.error());
  auto m = parse_manifest(*text, policy);
  if (!m) return fail(ref.str() + ": " + m.error().message());
  if (m->ref() != ref) return fail(ref.str() + ": the manifest inside names " + m->ref().str());
  return m;
}

Result<std::vector<ImageRef>> ObjectStore::list_images() const {
  std::vector<ImageRef> out;
  std::error_code ec;
  for (fs::directory_iterator r(root_ / "images", ec), end; !ec && r != end; r.increment(ec)) {
    if (!r->is_directory() || !check_role_name(r->path().filename().string())) continue;
    for (fs::directory_iterator v(r->path(), ec), vend; !ec && v != vend; v.increment(ec)) {
      ImageRef ref{r->path().filename().string(), v->path().filename().string()};
      if (check_version(ref.version) && has_image(ref)) out.push_back(std::move(ref));
    }
  }
  if (ec) return fail(ec, "cannot list images in " + root_.string() + ": " + ec.message());
  std::sort(out.begin(), out.end(), [](const ImageRef& a, const ImageRef& b) {
    return a.role != b.role ? a.role < b.role : version_less(a.version, b.version);
  });
  return out;
}

Result<std::optional<ImageRef>> ObjectStore::previous_version(std::string_view role, std::string_view before) const {
  auto all = list_images();
  if (!all) return fail(all.error());
  std::optional<ImageRef> best;
  for (auto& ref : *all)
    if (ref.role == role && (before.empty() || version_less(ref.version, before))) best = ref;
  return best;
}

Result<void> ObjectStore::remove_image(const ImageRef& ref) const {
  if (!has_image(ref)) return fail("no image " + ref.str() + " in " + root_.string());
  std::error_code ec;
  fs::remove_all(image_dir(ref), ec);
  if (ec) return fail(ec, "cannot remove " + image_dir(ref).string() + ": " + ec.message());
  return ok();
}

Result<GcReport> ObjectStore::gc(bool dry_run) const {
  auto lock = lock_exclusive();
  if (!lock) return fail(lock.error());
  auto images = list_images();
  if (!images) return fail(images.error());
  // A manifest that fails to parse stops gc: deleting what it may reference would lose data.
  std::set<Digest> live;
  for (auto& ref : *images) {
    auto m = load_manifest(ref);
    if (!m) return fail("gc stopped, nothing removed: " + m.error().message());
    for (auto& e : m->entries)
      if (e.type == EntryType::file) live.insert(e.sha256);
  }
  auto objects = list_objects();
  if (!objects) return fail(objects.error());
  GcReport rep;
  for (auto& d : *objects) {
    if (live.count(d)) {
      ++rep.objects_kept;
      continue;
    }
    std::error_code ec;
    auto path = object_path(d);
    rep.bytes_freed += fs::file_size(path, ec);
    ++rep.objects_removed;
    if (!dry_run) fs::remove(path, ec);
  }
  rep.deltas_removed = gc_deltas(*this, live, dry_run);
  std::error_code ec;
  auto now = fs::file_time_type::clock::now();
  for (fs::directory_iterator t(root_ / "tmp", ec), end; !ec && t != end; t.increment(ec)) {
    if (now - t->last_write_time(ec) < kStaleTempAge) continue;
    ++rep.temp_files_removed;
    if (!dry_run) fs::remove_all(t->path(), ec);
  }
  return rep;
}

}  // namespace ingot::image
