#include "imagebuilder/rsync_delta.h"

#include <librsync.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

namespace ingot::image {
namespace {

// Output buffer per rs_job_iter call: librsync copies at most this much per COPY step.
constexpr std::size_t kJobBuffer = 64 * 1024;

// librsync prints its own diagnostics on stderr; ours already say what failed and where.
void quiet_librsync() {
  static const bool once = [] {
    rs_trace_set_level(RS_LOG_CRIT);
    return true;
  }();
  (void)once;
}

Unexpected rs_fail(const char* what, rs_result r) { return fail(std::string(what) + ": " + rs_strerror(r)); }

struct JobOwner {
  rs_job_t* job = nullptr;
  ~JobOwner() {
    if (job) rs_job_free(job);
  }
};

// Runs a job over one more piece of input (eof: there is no more). Input librsync leaves
// unconsumed (it wants a bigger contiguous piece) is kept in pending for the next call.
// Returns true once the job has finished.
Result<bool> drive(rs_job_t* job, std::vector<char>& pending, std::span<const std::uint8_t> in, bool eof,
                   const ByteSink& sink) {
  std::vector<char> data;
  const char* base = reinterpret_cast<const char*>(in.data());
  std::size_t size = in.size();
  if (!pending.empty()) {
    data = std::move(pending);
    data.insert(data.end(), base, base + size);
    base = data.data();
    size = data.size();
  }
  pending.clear();
  rs_buffers_t b{};
  b.next_in = const_cast<char*>(base);
  b.avail_in = size;
  b.eof_in = eof ? 1 : 0;
  char out[kJobBuffer];
  for (;;) {
    std::size_t in_before = b.avail_in;
    b.next_out = out;
    b.avail_out = sizeof out;
    rs_result r = rs_job_iter(job, &b);
    std::size_t produced = sizeof out - b.avail_out;
    if (produced)
      if (auto s = sink({reinterpret_cast<const std::uint8_t*>(out), produced}); !s) return fail(s.error());
    if (r == RS_DONE) return true;
    if (r != RS_BLOCKED) return rs_fail("librsync", r);
    bool progress = produced > 0 || b.avail_in != in_before;
    if (produced == sizeof out) continue;  // more output may be waiting
    if (!progress || b.avail_in == 0) {
      if (eof && !progress) return fail("librsync: stream ended early");
      if (!eof) break;
    }
  }
  pending.assign(b.next_in, b.next_in + b.avail_in);
  return false;
}

// Runs a job over a whole buffer to its end.
Result<void> drive_all(rs_job_t* job, std::span<const std::uint8_t> in, const ByteSink& sink) {
  std::vector<char> pending;
  auto done = drive(job, pending, in, true, sink);
  if (!done) return fail(done.error());
  if (!*done) return fail("librsync: job did not finish");
  return ok();
}

}  // namespace

struct DeltaEncoder::Impl {
  ByteSink sink;
  rs_signature_t* sig = nullptr;
  JobOwner delta;
  std::vector<char> pending;
  Result<void> state = ok();  // an error from the constructor, reported by update/finish
  bool done = false;

  ~Impl() {
    if (delta.job) rs_job_free(delta.job);
    delta.job = nullptr;
    if (sig) rs_free_sumset(sig);
  }
};

DeltaEncoder::DeltaEncoder(std::span<const std::uint8_t> base, ByteSink sink) : impl_(std::make_unique<Impl>()) {
  quiet_librsync();
  auto& s = *impl_;
  s.sink = std::move(sink);
  // RabinKarp rollsum with BLAKE2 strong sums (librsync's recommended format); the strong sum
  // at its minimum safe length: the result is checked by SHA-256 anyway, so a collision only
  // costs a fallback, and shorter sums are faster.
  rs_magic_number magic = RS_RK_BLAKE2_SIG_MAGIC;
  std::size_t block_len = 0, strong_len = static_cast<std::size_t>(-1);
  if (rs_result r = rs_sig_args(static_cast<rs_long_t>(base.size()), &magic, &block_len, &strong_len); r != RS_DONE) {
    s.state = rs_fail("librsync signature arguments", r);
    return;
  }
  std::string sig_bytes;
  JobOwner sig_job{rs_sig_begin(block_len, strong_len, magic)};
  s.state = drive_all(sig_job.job, base, [&](std::span<const std::uint8_t> b) {
    sig_bytes.append(reinterpret_cast<const char*>(b.data()), b.size());
    return ok();
  });
  if (!s.state) return;
  JobOwner load{rs_loadsig_begin(&s.sig)};
  s.state = drive_all(load.job, {reinterpret_cast<const std::uint8_t*>(sig_bytes.data()), sig_bytes.size()},
                      [](std::span<const std::uint8_t>) { return ok(); });
  if (!s.state) return;
  if (rs_result r = rs_build_hash_table(s.sig); r != RS_DONE) {
    s.state = rs_fail("librsync hash table", r);
    return;
  }
  s.delta.job = rs_delta_begin(s.sig);
}

DeltaEncoder::~DeltaEncoder() = default;

Result<void> DeltaEncoder::update(std::span<const std::uint8_t> content) {
  auto& s = *impl_;
  if (!s.state) return s.state;
  if (s.done) return fail("delta: input after the end");
  auto r = drive(s.delta.job, s.pending, content, false, s.sink);
  if (!r) return s.state = fail(r.error());
  return ok();
}

Result<void> DeltaEncoder::finish() {
  auto& s = *impl_;
  if (!s.state) return s.state;
  auto r = drive(s.delta.job, s.pending, {}, true, s.sink);
  if (!r) return s.state = fail(r.error());
  if (!*r) return s.state = fail("librsync: delta did not finish");
  s.done = true;
  return ok();
}

struct DeltaPatcher::Impl {
  int base_fd = -1;
  std::uint64_t base_size = 0;
  ByteSink sink;
  std::uint64_t max_output = 0;
  std::uint64_t produced = 0;
  JobOwner job;
  std::vector<char> pending;
  bool done = false;
  Result<void> copy_error = ok();

  // librsync asks for base bytes [pos, pos+len); len never exceeds its output buffer.
  static rs_result copy(void* opaque, rs_long_t pos, std::size_t* len, void** buf) {
    auto& s = *static_cast<Impl*>(opaque);
    if (pos < 0 || static_cast<std::uint64_t>(pos) >= s.base_size || *len == 0) {
      s.copy_error = fail("delta copies from outside its base (offset " + std::to_string(pos) + ", base " +
                          std::to_string(s.base_size) + " bytes)");
      return RS_CORRUPT;
    }
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(*len, s.base_size - std::uint64_t(pos)));
    ssize_t n;
    do n = ::pread(s.base_fd, *buf, want, static_cast<off_t>(pos));
    while (n < 0 && errno == EINTR);
    if (n <= 0) {
      s.copy_error = fail("cannot read the delta's base file");
      return RS_IO_ERROR;
    }
    *len = static_cast<std::size_t>(n);
    return RS_DONE;
  }

  Result<void> emit(std::span<const std::uint8_t> b) {
    produced += b.size();
    if (produced > max_output)
      return fail("delta produces more than the " + std::to_string(max_output) + " bytes expected");
    return sink(b);
  }

  Result<bool> run(std::span<const std::uint8_t> in, bool eof) {
    auto r = drive(job.job, pending, in, eof, [this](std::span<const std::uint8_t> b) { return emit(b); });
    if (!r && !copy_error) return fail(copy_error.error());
    return r;
  }
};

DeltaPatcher::DeltaPatcher(int base_fd, std::uint64_t base_size, ByteSink sink, std::uint64_t max_output)
    : impl_(std::make_unique<Impl>()) {
  quiet_librsync();
  impl_->base_fd = base_fd;
  impl_->base_size = base_size;
  impl_->sink = std::move(sink);
  impl_->max_output = max_output;
  impl_->job.job = rs_patch_begin(&Impl::copy, impl_.get());
}

DeltaPatcher::~DeltaPatcher() = default;

std::uint64_t DeltaPatcher::output_size() const { return impl_->produced; }

Result<void> DeltaPatcher::update(std::span<const std::uint8_t> delta) {
  if (impl_->done) return fail("delta has trailing data after its end");
  auto r = impl_->run(delta, false);
  if (!r) return fail(r.error());
  impl_->done = *r;
  return ok();
}

Result<void> DeltaPatcher::finish() {
  if (impl_->done) return ok();
  auto r = impl_->run({}, true);
  if (!r) return fail("delta is corrupt or truncated: " + r.error().message());
  if (!*r) return fail("delta is truncated");
  impl_->done = true;
  return ok();
}

}  // namespace ingot::image
