#include "provisioner/agent/upgrade_stage.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

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

namespace {

class Stager {
 public:
  Stager(const StageInput& in, const UpgradeArea& area) : in_(in), area_(area) {
    drifted_.insert(in.drifted->begin(), in.drifted->end());
    for (const Entry& e : in.from->entries)
      if (e.type == image::EntryType::file && !drifted_.count(e.path) && !in.protect->keeps(e.path))
        have_.emplace(e.sha256, e.path);
  }

  // Stages one object: already there, copied from the node's own tree, or fetched.
  Result<void> stage(const Entry& e, image::ImageSource& src, StageStats& stats) const {
    ++stats.objects;
    fs::path final_path = area_.objects() / e.sha256.hex();
    if (file_has_content(final_path, e)) {
      ++stats.reused;
      return ok();
    }
    fs::path part = final_path;
    part += ".part." + std::to_string(::gettid());
    bool staged = false;
    if (auto it = have_.find(e.sha256); it != have_.end()) {
      auto copied = copy_verified(in_.root / it->second, part, e);
      if (!copied) return fail(copied.error());
      staged = *copied;
      if (staged) ++stats.local;
    }
    if (!staged) {
      if (auto r = fetch_into(src, e, delta_base(e), in_.root, part, stats); !r) {
        ::unlink(part.c_str());
        return fail(e.path + ": " + r.error().message());
      }
      ++stats.fetched;
    }
    if (::rename(part.c_str(), final_path.c_str()) != 0) return image::errno_error("cannot rename into place", final_path);
    return ok();
  }

  // n's entry at e's path when it can be a delta base: a file the node still has as n made it.
  const Entry* delta_base(const Entry& e) const {
    const Entry* old = in_.from->find(e.path);
    if (old) old = in_.from->resolve(*old);
    bool usable = old && old->type == image::EntryType::file && !drifted_.count(e.path) && !in_.protect->keeps(e.path);
    return usable ? old : nullptr;
  }

  // Whether stage() will fetch e's whole object: not staged yet, no local copy, no delta base.
  // Only a hint for the source's fetch-ahead, so it does not hash what is staged already.
  bool fetches_whole(const Entry& e) const {
    return !have_.count(e.sha256) && !delta_base(e) && !fs::exists(area_.objects() / e.sha256.hex());
  }

 private:
  const StageInput& in_;
  const UpgradeArea& area_;
  std::set<std::string> drifted_;
  std::map<image::Digest, std::string> have_;
};

}  // namespace

Result<StageStats> stage_objects(const StageInput& in, image::ImageSource& src, const UpgradeArea& area) {
  std::error_code ec;
  fs::create_directories(area.objects(), ec);
  if (ec) return fail(ec, "create " + area.objects().string());
  Stager stager(in, area);
  std::vector<image::ImageSource*> sources{&src};
  std::vector<std::unique_ptr<image::ImageSource>> owned;
  if (src.concurrent_fetch()) {
    // A source that fetches ahead (the packed HTTP source: small objects many to a request,
    // over its own parallel connections) is told which whole objects are coming and shared
    // by the workers; deltas and local copies stay per object.
    std::vector<const Entry*> whole;
    for (const Entry& e : *in.objects)
      if (stager.fetches_whole(e)) whole.push_back(&e);
    src.prepare(std::move(whole));
    for (unsigned i = 1; i < kStageFetchers && i < in.objects->size(); ++i) sources.push_back(&src);
  } else if (in.more_sources) {
    for (unsigned i = 1; i < kStageFetchers && i < in.objects->size(); ++i) {
      owned.push_back(in.more_sources());
      sources.push_back(owned.back().get());
    }
  }
  std::vector<std::uint64_t> wire0;
  for (auto* s : sources) wire0.push_back(s->bytes_fetched());
  std::vector<StageStats> per(sources.size());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::optional<Result<void>> first_error;
  auto work = [&](std::size_t w) {
    for (std::size_t i; !stop && (i = next++) < in.objects->size();) {
      auto r = stager.stage((*in.objects)[i], *sources[w], per[w]);
      if (!r) {
        std::lock_guard lock(mu);
        if (!first_error) first_error = r;
        stop = true;
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < sources.size(); ++w) threads.emplace_back(work, w);
  work(0);
  for (auto& t : threads) t.join();
  if (first_error) return fail(first_error->error());
  StageStats total;
  for (std::size_t w = 0; w < per.size(); ++w) {
    total.objects += per[w].objects;
    total.fetched += per[w].fetched;
    total.local += per[w].local;
    total.reused += per[w].reused;
    total.deltas += per[w].deltas;
    total.bytes_delta += per[w].bytes_delta;
  }
  // A shared source counts once.
  for (std::size_t w = 0; w < sources.size(); ++w)
    if (std::find(sources.begin(), sources.begin() + static_cast<std::ptrdiff_t>(w), sources[w]) == sources.begin() + static_cast<std::ptrdiff_t>(w))
      total.bytes_wire += sources[w]->bytes_fetched() - wire0[w];
  return total;
}

}  // namespace ingot::agent
