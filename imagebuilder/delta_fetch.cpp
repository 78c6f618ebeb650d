#include "imagebuilder/delta_fetch.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "common/log.h"
#include "imagebuilder/delta_store.h"
#include "imagebuilder/file_io.h"
#include "imagebuilder/rsync_delta.h"

namespace ingot::image {
namespace {

// A decoded librsync delta is its literal bytes plus a few bytes per command; every COPY
// covers at least one byte of output, so twice the output (plus slack) bounds an honest one.
std::uint64_t max_decoded_delta(std::uint64_t output) { return 2 * output + kMaxDeltaOverhead; }

// Applies a zstd-compressed delta to the base, streaming the result into sink, and checks the
// result's size and hash against want.
Result<void> patch(int base_fd, std::uint64_t base_size, std::string_view zdelta, const Entry& want,
                   const ByteSink& sink) {
  Sha256 hash;
  DeltaPatcher patcher(
      base_fd, base_size,
      [&](std::span<const std::uint8_t> b) {
        hash.update(b);
        return sink(b);
      },
      want.size);
  ObjectDecoder dec([&](std::span<const std::uint8_t> b) { return patcher.update(b); }, max_decoded_delta(want.size));
  if (auto r = dec.update({reinterpret_cast<const std::uint8_t*>(zdelta.data()), zdelta.size()}); !r) return r;
  if (auto r = dec.finish_frame(); !r) return fail(r.error());
  if (auto r = patcher.finish(); !r) return r;
  if (patcher.output_size() != want.size)
    return fail("delta result has " + std::to_string(patcher.output_size()) + " bytes, the manifest says " +
                std::to_string(want.size));
  if (auto got = hash.finish(); got != want.sha256)
    return fail("delta result hashes to " + got.hex() + ", expected " + want.sha256.hex());
  return ok();
}

Result<Digest> hash_open_file(int fd, const std::filesystem::path& name) {
  auto h = hash_fd(fd, name);
  if (!h) return fail(h.error());
  return h->digest;
}

}  // namespace

Result<void> fetch_via_delta(ImageSource& src, const Entry& want, const Digest& base_sha,
                             const std::filesystem::path& base_file, const ByteSink& sink, FetchInfo* info) {
  FetchInfo local;
  FetchInfo& inf = info ? *info : local;
  inf = {};
  const std::uint64_t before = src.bytes_fetched();
  auto whole = [&](std::string why) -> Result<void> {
    if (!why.empty()) {
      INGOT_LOG(warn, "image") << want.path << ": " << why << "; fetching the whole object";
      inf.fallback = std::move(why);
    }
    auto r = src.fetch(want, sink);
    inf.wire_bytes = src.bytes_fetched() - before;
    return r;
  };
  if (want.type != EntryType::file) return fail("internal: fetch_via_delta on " + want.path + ", not a file");
  if (base_sha == want.sha256 || want.size < kMinDeltaFileBytes) return whole({});

  UniqueFd fd(::open(base_file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return whole("no regular base file at " + base_file.string());
  auto base_size = static_cast<std::uint64_t>(st.st_size);
  if (base_size > kMaxDeltaInputBytes) return whole({});
  auto got = hash_open_file(fd.get(), base_file);
  if (!got) return whole("cannot read the base " + base_file.string() + ": " + got.error().message());
  if (*got != base_sha) return whole("the base " + base_file.string() + " does not hash to " + base_sha.hex());

  auto delta = src.fetch_delta(base_sha, want.sha256, want.size + kMaxDeltaOverhead);
  if (!delta) return whole("delta " + base_sha.hex() + " -> " + want.sha256.hex() + " unavailable: " + delta.error().message());
  if (!*delta) return whole({});  // none stored, or not worth it: the normal case for many files
  inf.delta_bytes = (*delta)->size();
  auto unusable = [&](const Error& e) {
    return whole("delta " + base_sha.hex() + " -> " + want.sha256.hex() + " refused: " + e.message());
  };

  if (want.size <= kDeltaSpoolBytes) {
    std::string out;
    out.reserve(want.size);
    auto r = patch(fd.get(), base_size, **delta, want, [&](std::span<const std::uint8_t> b) {
      out.append(reinterpret_cast<const char*>(b.data()), b.size());
      return ok();
    });
    if (!r) return unusable(r.error());
    if (auto w = sink({reinterpret_cast<const std::uint8_t*>(out.data()), out.size()}); !w) return w;
  } else {
    auto r = patch(fd.get(), base_size, **delta, want, [](std::span<const std::uint8_t>) { return ok(); });
    if (!r) return unusable(r.error());
    // The same base, the same delta: this only fails if the base changed under us since.
    if (auto w = patch(fd.get(), base_size, **delta, want, sink); !w)
      return fail(want.path + ": the base changed while the delta was applied: " + w.error().message());
  }
  inf.via_delta = true;
  inf.wire_bytes = src.bytes_fetched() - before;
  return ok();
}

}  // namespace ingot::image
