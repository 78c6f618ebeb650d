#include "imagebuilder/delta_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "imagebuilder/rsync_delta.h"

namespace ingot::image {
namespace fs = std::filesystem;
namespace {

fs::path none_path(const fs::path& delta) {
  auto p = delta;
  p.replace_extension(".none");
  return p;
}

constexpr const char* kNotSmaller = "the delta is not smaller than the object";

bool too_large(const Error& e) { return e.code == std::errc::file_too_large; }

Result<DeltaInfo> remember_not_worth_it(const fs::path& delta, std::string reason) {
  std::error_code ec;
  fs::create_directories(delta.parent_path(), ec);
  if (auto r = write_file_atomic(none_path(delta), reason + "\n", 0444); !r) return fail(r.error());
  return DeltaInfo{DeltaStatus::not_worth_it, 0, 0, std::move(reason)};
}

}  // namespace

fs::path delta_path(const ObjectStore& store, const Digest& base, const Digest& want) {
  return store.root() / "deltas" / base.hex() / (want.hex() + ".zst");
}

DeltaInfo lookup_delta(const ObjectStore& store, const Digest& base, const Digest& want) {
  auto path = delta_path(store, base, want);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
    return {DeltaStatus::stored, static_cast<std::uint64_t>(st.st_size), 0, {}};
  if (::stat(none_path(path).c_str(), &st) == 0) {
    auto why = read_file_limited(none_path(path), 4096);
    std::string reason = why ? *why : "not worth it";
    while (!reason.empty() && reason.back() == '\n') reason.pop_back();
    return {DeltaStatus::not_worth_it, 0, 0, reason};
  }
  if (!store.has_object(base) || !store.has_object(want)) return {DeltaStatus::unknown_object, 0, 0, {}};
  return {};
}

Result<DeltaInfo> build_delta(const ObjectStore& store, const Digest& base, const Digest& want) {
  auto known = lookup_delta(store, base, want);
  if (known.status != DeltaStatus::missing) return known;
  auto path = delta_path(store, base, want);
  if (base == want) return DeltaInfo{DeltaStatus::not_worth_it, 0, 0, "the base is the object"};
  auto object_size = store.stored_size(want);
  if (!object_size) return fail(object_size.error());

  std::vector<std::uint8_t> base_bytes;
  auto base_size = store.read_object_bounded(base, kMaxDeltaInputBytes, [&](std::span<const std::uint8_t> b) {
    base_bytes.insert(base_bytes.end(), b.begin(), b.end());
    return ok();
  });
  if (!base_size) {
    if (too_large(base_size.error())) return remember_not_worth_it(path, "the base is over the delta input limit");
    return fail(base_size.error());
  }

  std::string tmp;
  auto out = store.open_temp(&tmp);
  if (!out) return fail(out.error());
  auto drop = [&](Error e) -> Result<DeltaInfo> {
    ::unlink(tmp.c_str());
    return fail(std::move(e));
  };
  std::uint64_t written = 0;
  bool not_smaller = false;
  // Stops as soon as the delta reaches the object's size: the rest would only prove it useless.
  ObjectEncoder zenc([&](std::span<const std::uint8_t> b) -> Result<void> {
    written += b.size();
    if (written >= *object_size) {
      not_smaller = true;
      return fail(kNotSmaller);
    }
    return write_all(out->get(), b.data(), b.size(), tmp);
  });
  DeltaEncoder enc(base_bytes, [&](std::span<const std::uint8_t> b) { return zenc.update(b); });
  auto new_size = store.read_object_bounded(want, kMaxDeltaInputBytes, [&](std::span<const std::uint8_t> b) { return enc.update(b); });
  Result<void> done = new_size ? enc.finish() : Result<void>(fail(new_size.error()));
  if (done) {
    auto z = zenc.finish();
    if (!z) done = fail(z.error());
  }
  if (!done) {
    ::unlink(tmp.c_str());
    if (not_smaller) return remember_not_worth_it(path, kNotSmaller);
    if (too_large(done.error())) return remember_not_worth_it(path, "the object is over the delta input limit");
    return fail(done.error());
  }
  ::fchmod(out->get(), 0444);
  out->reset();
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return drop(errno_error("cannot rename delta into", path).error);
  return DeltaInfo{DeltaStatus::stored, written, *object_size, {}};
}

std::size_t gc_deltas(const ObjectStore& store, const std::set<Digest>& live, bool dry_run) {
  std::size_t removed = 0;
  std::error_code ec;
  for (fs::directory_iterator dir(store.root() / "deltas", ec), end; !ec && dir != end; dir.increment(ec)) {
    auto base = parse_digest(dir->path().filename().string());
    bool base_live = base && live.count(*base);
    std::error_code ec2;
    for (fs::directory_iterator f(dir->path(), ec2); !ec2 && f != end; f.increment(ec2)) {
      auto want = parse_digest(f->path().stem().string());
      if (base_live && want && live.count(*want)) continue;
      ++removed;
      if (!dry_run) fs::remove(f->path(), ec2);
    }
    if (!base_live && !dry_run) fs::remove(dir->path(), ec2);
  }
  return removed;
}

}  // namespace ingot::image
