#include "provisioner/agent/upgrade_stage.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <set>

#include "imagebuilder/delta_fetch.h"
#include "imagebuilder/digest.h"
#include "imagebuilder/file_io.h"

namespace ingot::agent {
namespace fs = std::filesystem;
using image::Entry;

namespace {

constexpr std::size_t kCopyBuffer = 1 << 16;

// Copies src to dst while hashing; true only when the copy is exactly e's content.
Result<bool> copy_verified(const fs::path& src, const fs::path& dst, const Entry& e) {
  image::UniqueFd in(::open(src.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!in) return false;
  image::UniqueFd out(::open(dst.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out) return image::errno_error("cannot create", dst);
  image::Sha256 h;
  std::uint64_t total = 0;
  std::vector<std::uint8_t> buf(kCopyBuffer);
  for (;;) {
    ssize_t n = ::read(in.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    total += static_cast<std::uint64_t>(n);
    if (total > e.size) return false;
    h.update(std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(n)));
    if (auto w = image::write_all(out.get(), buf.data(), static_cast<std::size_t>(n), dst); !w) return fail(w.error());
  }
  return total == e.size && h.finish() == e.sha256;
}

// base: n's entry at the same path, when the node still has it as n made it: a librsync delta
// from it costs far fewer bytes than the object (fetch_via_delta falls back to the object).
Result<void> fetch_into(image::ImageSource& src, const Entry& e, const Entry* base, const fs::path& root,
                        const fs::path& dst, StageStats& stats) {
  image::UniqueFd out(::open(dst.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out) return image::errno_error("cannot create", dst);
  auto sink = [&](std::span<const std::uint8_t> data) { return image::write_all(out.get(), data.data(), data.size(), dst); };
  if (!base) return src.fetch(e, sink);
  image::FetchInfo info;
  auto r = image::fetch_via_delta(src, e, base->sha256, root / base->path, sink, &info);
  if (info.via_delta) ++stats.deltas;
  stats.bytes_delta += info.delta_bytes;
  return r;
}

}  // namespace

bool file_has_content(const fs::path& path, const Entry& e) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) != e.size)
    return false;
  image::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return false;
  image::Sha256 h;
  std::vector<std::uint8_t> buf(kCopyBuffer);
  ssize_t n;
  while ((n = ::read(fd.get(), buf.data(), buf.size())) > 0) h.update(std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(n)));
  return n == 0 && h.finish() == e.sha256;
}

Result<StageStats> stage_objects(const StageInput& in, image::ImageSource& src, const UpgradeArea& area,
                                 const std::function<void(const StageStats&)>& progress) {
  StageStats stats;
  std::error_code ec;
  fs::create_directories(area.objects(), ec);
  if (ec) return fail(ec, "create " + area.objects().string());
  // Where n already holds each content (first clean path wins).
  std::set<std::string> drifted(in.drifted->begin(), in.drifted->end());
  std::map<image::Digest, std::string> have;
  for (const Entry& e : in.from->entries)
    if (e.type == image::EntryType::file && !drifted.count(e.path) && !in.protect->keeps(e.path))
      have.emplace(e.sha256, e.path);
  std::uint64_t wire0 = src.bytes_fetched();
  for (const Entry& e : *in.objects) {
    ++stats.objects;
    fs::path final_path = area.objects() / e.sha256.hex();
    if (file_has_content(final_path, e)) {
      ++stats.reused;
      continue;
    }
    fs::path part = final_path;
    part += ".part";
    bool staged = false;
    if (auto it = have.find(e.sha256); it != have.end()) {
      auto copied = copy_verified(in.root / it->second, part, e);
      if (!copied) return fail(copied.error());
      if (*copied) {
        staged = true;
        ++stats.local;
      }
    }
    if (!staged) {
      const Entry* old = in.from->find(e.path);
      if (old) old = in.from->resolve(*old);
      bool usable = old && old->type == image::EntryType::file && !drifted.count(e.path) && !in.protect->keeps(e.path);
      if (auto r = fetch_into(src, e, usable ? old : nullptr, in.root, part, stats); !r) {
        ::unlink(part.c_str());
        return fail(e.path + ": " + r.error().message());
      }
      ++stats.fetched;
    }
    if (::rename(part.c_str(), final_path.c_str()) != 0) return image::errno_error("cannot rename into place", final_path);
    stats.bytes_wire = src.bytes_fetched() - wire0;
    if (progress && stats.objects % 256 == 0) progress(stats);
  }
  stats.bytes_wire = src.bytes_fetched() - wire0;
  return stats;
}

}  // namespace ingot::agent
