// http_source(): the server's /images/v1 routes with fetching ahead. prepare() gets the files an
// apply is about to write; a few worker threads (one HttpClient and connection each) fetch
// their objects in that order, small ones many to a pack (object_pack.h), larger ones by GET,
// and hold the stored zstd bytes until fetch() asks for them. fetch() still decompresses and
// hash-checks every object as it is written, exactly as the one-request-per-object source does,
// so the engine's guarantees (verified while written, temp + rename, resume) are unchanged.
// Memory is bounded by a window of bytes held ahead; anything not prepared, and every manifest,
// signature and delta, goes through the plain source (http_object_source).
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "imagebuilder/apply_source.h"
#include "imagebuilder/object_pack.h"

namespace ingot::image {
namespace {

// Parallel connections: enough to keep a loopback or LAN link busy while one of them waits on
// the server, few enough not to crowd a provisioning server answering a rack at once.
constexpr int kFetchConnections = 4;
// Files up to this size go in packs; larger ones by GET (streamable, cacheable by proxies).
constexpr std::uint64_t kPackedFileBytes = 256 * 1024;
// One pack asks for at most this many objects and this many (uncompressed) bytes, so that
// several packs are in flight and the writer starts on the first one early.
constexpr std::size_t kPackJobObjects = 256;
constexpr std::uint64_t kPackJobBytes = 4 * 1024 * 1024;
// Fetched but not yet written bytes are held in memory up to this much; files larger than
// this are never fetched ahead (streamed when asked for).
constexpr std::uint64_t kMaxAheadBytes = 96 * 1024 * 1024;
constexpr std::uint64_t kMaxAheadFileBytes = 32 * 1024 * 1024;
// Writers ask for files nearly in the planned order, never this far apart (WritePool keeps
// its queue shorter): a planned file this far behind the newest asked for was passed over.
constexpr std::size_t kPassedOverSlack = 256;

// zstd's worst case for incompressible input is a little above the input; this bounds what a
// server may send for an object of a known size.
std::uint64_t stored_bound(std::uint64_t size) { return size + size / 128 + 4096; }

struct Slot {
  enum class State { waiting, ready, failed } state = State::waiting;
  std::string stored;
  std::string error;
  std::uint64_t size = 0;     // uncompressed, from the manifest
  std::uint64_t reserve = 0;  // bytes of the window it holds
  int uses = 0;               // planned fetches not yet served
};

struct Job {
  std::vector<Digest> digests;
  bool packed = false;
  std::uint64_t reserve = 0;
};

class PackHttpSource final : public ImageSource {
 public:
  explicit PackHttpSource(std::string base) : base_(std::move(base)), plain_(http_object_source(base_)) {}
  ~PackHttpSource() override { stop(); }

  Result<std::string> manifest_text(const std::string& ref, std::string* resolved) override {
    std::lock_guard lock(plain_mu_);
    return plain_->manifest_text(ref, resolved);
  }
  Result<std::string> signature_text(const std::string& ref) override {
    std::lock_guard lock(plain_mu_);
    return plain_->signature_text(ref);
  }
  Result<std::string> public_key_pem() override {
    std::lock_guard lock(plain_mu_);
    return plain_->public_key_pem();
  }
  Result<std::optional<std::string>> fetch_delta(const Digest& base, const Digest& want, std::uint64_t max) override {
    std::lock_guard lock(plain_mu_);
    return plain_->fetch_delta(base, want, max);
  }
  std::uint64_t bytes_fetched() const override {
    std::lock_guard lock(plain_mu_);
    return plain_->bytes_fetched() + ahead_bytes_.load();
  }
  bool concurrent_fetch() const override { return true; }
  std::string describe() const override { return base_; }

  void prepare(std::vector<const Entry*> files) override;
  Result<void> fetch(const Entry& e, const ByteSink& sink) override;

 private:
  void stop();
  void worker();
  void run_job(HttpClient& http, const Job& job);
  void fail_rest(const Job& job, const std::string& why);
  void deliver(const Digest& d, std::string&& stored);
  void release(Slot& s, const Digest& d);
  Result<HttpResponse> perform(HttpClient& http, const std::string& path, const std::string* post, const HttpBodySink& body);

  std::string base_;
  std::unique_ptr<ImageSource> plain_;
  mutable std::mutex plain_mu_;  // the plain source has one connection, for one caller at a time
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<Digest, Slot> slots_;
  std::vector<Digest> order_;  // planned fetches, in order
  std::map<Digest, std::deque<std::size_t>> positions_;  // where each is in order_, unserved
  std::vector<bool> served_;
  std::size_t cursor_ = 0;  // order_ before this was served or passed over
  std::vector<Job> jobs_;
  std::size_t next_job_ = 0;
  std::uint64_t ahead_ = 0;  // window bytes reserved
  bool stopping_ = false;
  std::atomic<std::uint64_t> ahead_bytes_{0};
  std::atomic<bool> abort_{false};  // ends transfers under way (the apply is over)
  std::atomic<bool> packs_unsupported_{false};  // an older server without the pack route
  std::vector<std::thread> threads_;
};

void PackHttpSource::prepare(std::vector<const Entry*> files) {
  stop();
  std::lock_guard lock(mu_);
  stopping_ = false;
  abort_ = false;
  slots_.clear(), order_.clear(), positions_.clear(), jobs_.clear(), cursor_ = 0, next_job_ = 0, ahead_ = 0;
  Job pack{{}, true, 0};
  auto flush_pack = [&] {
    if (!pack.digests.empty()) jobs_.push_back(std::move(pack));
    pack = Job{{}, true, 0};
  };
  for (const Entry* e : files) {
    if (e->size > kMaxAheadFileBytes) continue;
    Slot& s = slots_[e->sha256];
    positions_[e->sha256].push_back(order_.size());
    order_.push_back(e->sha256);
    if (s.uses++ > 0) continue;  // the same content again: fetched once, served to each
    s.size = e->size;
    s.reserve = stored_bound(e->size);
    if (e->size > kPackedFileBytes) {
      jobs_.push_back(Job{{e->sha256}, false, s.reserve});
      continue;
    }
    if (pack.digests.size() == kPackJobObjects || pack.reserve + s.reserve > kPackJobBytes) flush_pack();
    pack.digests.push_back(e->sha256);
    pack.reserve += s.reserve;
  }
  flush_pack();
  served_.assign(order_.size(), false);
  int n = std::min<int>(kFetchConnections, static_cast<int>(jobs_.size()));
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { worker(); });
}

void PackHttpSource::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  abort_ = true;
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

Result<void> PackHttpSource::fetch(const Entry& e, const ByteSink& sink) {
  std::string stored;
  {
    std::unique_lock lock(mu_);
    auto pos = positions_.find(e.sha256);
    if (pos == positions_.end() || pos->second.empty()) {
      lock.unlock();
      std::lock_guard plain(plain_mu_);
      return plain_->fetch(e, sink);
    }
    std::size_t at = pos->second.front();
    pos->second.pop_front();
    served_[at] = true;
    // Planned fetches far behind the newest one asked for were passed over (the file turned
    // out to be there): they give their window back, or the workers would wait for room that
    // never comes. The slack allows for writers asking a little out of order.
    for (; cursor_ + kPassedOverSlack < at; ++cursor_) {
      if (served_[cursor_]) continue;
      served_[cursor_] = true;
      positions_[order_[cursor_]].pop_front();
      if (auto it = slots_.find(order_[cursor_]); it != slots_.end()) release(it->second, it->first);
    }
    auto it = slots_.find(e.sha256);
    cv_.wait(lock, [&] { return it->second.state != Slot::State::waiting; });
    Slot& s = it->second;
    if (s.state == Slot::State::failed) return fail(s.error);
    stored = s.uses > 1 ? s.stored : std::move(s.stored);
    release(s, e.sha256);
  }
  ObjectDecoder dec(sink, e.size);
  if (auto r = dec.update({reinterpret_cast<const std::uint8_t*>(stored.data()), stored.size()}); !r) return r;
  return dec.finish(e.sha256);
}

// With mu_ held: one planned use is done; the last gives the window back (or, while the object
// is still on its way, deliver() and fail_rest() do on its arrival).
void PackHttpSource::release(Slot& s, const Digest& d) {
  if (--s.uses > 0 || s.state == Slot::State::waiting) return;
  ahead_ -= s.reserve;
  slots_.erase(d);
  cv_.notify_all();
}

void PackHttpSource::deliver(const Digest& d, std::string&& stored) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(d);
  if (it == slots_.end()) return;
  if (it->second.uses <= 0) {  // passed over while it was on the way
    ahead_ -= it->second.reserve;
    slots_.erase(it);
  } else {
    it->second.stored = std::move(stored);
    it->second.state = Slot::State::ready;
  }
  cv_.notify_all();
}

void PackHttpSource::fail_rest(const Job& job, const std::string& why) {
  std::lock_guard lock(mu_);
  for (auto& d : job.digests) {
    auto it = slots_.find(d);
    if (it == slots_.end() || it->second.state != Slot::State::waiting) continue;
    if (it->second.uses <= 0) {
      ahead_ -= it->second.reserve;
      slots_.erase(it);
      continue;
    }
    it->second.state = Slot::State::failed;
    it->second.error = why;
  }
  cv_.notify_all();
}

void PackHttpSource::worker() {
  HttpClient http;  // this worker's connection, kept alive from job to job
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      // A job starts when the window has room for it, or when nothing is held at all (so one
      // job larger than the window still goes, alone).
      cv_.wait(lock, [&] {
        return stopping_ || next_job_ == jobs_.size() || ahead_ == 0 || ahead_ + jobs_[next_job_].reserve <= kMaxAheadBytes;
      });
      if (stopping_ || next_job_ == jobs_.size()) break;
      job = jobs_[next_job_++];
      ahead_ += job.reserve;
    }
    run_job(http, job);
  }
}

// A GET, or a POST of a pack request; body gets a 200 answer's bytes as they arrive (the status
// is the caller's to judge; an error answer's first lines are in the response's body).
Result<HttpResponse> PackHttpSource::perform(HttpClient& http, const std::string& path, const std::string* post,
                                             const HttpBodySink& body) {
  HttpRequest req = image_route_request(base_ + path);
  if (post) req.method = HttpMethod::post, req.body = *post, req.content_type = "text/plain";
  req.on_body = [&](std::string_view chunk) -> Result<void> {
    if (abort_) return fail(std::make_error_code(std::errc::operation_canceled), "the apply is over");
    ahead_bytes_ += chunk.size();
    return body(chunk);
  };
  return http.perform(req);
}

void PackHttpSource::run_job(HttpClient& http, const Job& job) {
  if (job.packed && !packs_unsupported_) {
    PackReader reader(job.digests, [this](const Digest& d, std::string&& stored) {
      deliver(d, std::move(stored));
      return ok();
    });
    std::string request = encode_pack_request(job.digests);
    const std::string path = "/images/v1/objects/pack";
    auto r = perform(http, path, &request, [&](std::string_view b) {
      return reader.feed({reinterpret_cast<const std::uint8_t*>(b.data()), b.size()});
    });
    if (!r) return fail_rest(job, r.error().message());
    // An older server has no pack route: the objects one by one then, for this job and after.
    if (r->status == 405) {
      packs_unsupported_ = true;
    } else if (r->status != 200) {
      return fail_rest(job, r->describe_status(base_ + path));
    } else if (auto done = reader.finish(); !done) {
      return fail_rest(job, base_ + path + ": " + done.error().message());
    } else {
      return;
    }
  }
  for (auto& d : job.digests) {
    std::uint64_t bound = 0;
    {
      std::lock_guard lock(mu_);
      auto it = slots_.find(d);
      if (it == slots_.end()) continue;  // passed over already
      bound = stored_bound(it->second.size);
    }
    std::string stored;
    const std::string path = "/images/v1/objects/" + d.hex();
    auto r = perform(http, path, nullptr, [&](std::string_view b) -> Result<void> {
      if (stored.size() + b.size() > bound) return fail("object " + d.hex() + " is larger than its size allows");
      stored.append(b);
      return ok();
    });
    if (!r) return fail_rest(job, r.error().message());
    if (r->status != 200) return fail_rest(job, r->describe_status(base_ + path));
    deliver(d, std::move(stored));
  }
}

}  // namespace

std::unique_ptr<ImageSource> http_source(std::string base_url) {
  return std::make_unique<PackHttpSource>(std::move(base_url));
}

}  // namespace ingot::image
