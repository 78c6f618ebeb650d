#include "imagebuilder/object_codec.h"

#include <zstd.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace ingot::image {
namespace {

// Largest back-reference window a frame may ask the decoder to allocate (16 MiB). Our encoder
// at level 3 uses at most 2 MiB; a hostile frame asking for 2 GiB is refused instead.
constexpr int kMaxWindowLog = 24;

Unexpected zstd_error(const char* what, std::size_t code) {
  return fail(std::string("zstd ") + what + ": " + ZSTD_getErrorName(code));
}

}  // namespace

// One compression context per thread, reused: creating one per object costs more than
// compressing a typical small file.
ZSTD_CCtx* thread_context() {
  struct Owner {
    ZSTD_CCtx* ctx = ZSTD_createCCtx();
    ~Owner() { ZSTD_freeCCtx(ctx); }
  };
  thread_local Owner owner;
  if (!owner.ctx) throw std::bad_alloc();
  return owner.ctx;
}

struct ObjectEncoder::Impl {
  ByteSink sink;
  Sha256 hash;
  ZSTD_CCtx* ctx = thread_context();
  std::vector<std::uint8_t> out = std::vector<std::uint8_t>(ZSTD_CStreamOutSize());

  Impl(ByteSink s, std::optional<std::uint64_t> size_hint) : sink(std::move(s)) {
    ZSTD_CCtx_reset(ctx, ZSTD_reset_session_and_parameters);
    ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, kObjectCompressionLevel);
    if (size_hint) ZSTD_CCtx_setPledgedSrcSize(ctx, *size_hint);
  }

  Result<bool> pump(ZSTD_inBuffer& in, ZSTD_EndDirective mode) {
    ZSTD_outBuffer o{out.data(), out.size(), 0};
    std::size_t left = ZSTD_compressStream2(ctx, &o, &in, mode);
    if (ZSTD_isError(left)) return zstd_error("compression failed", left);
    if (o.pos)
      if (auto r = sink({out.data(), o.pos}); !r) return fail(r.error());
    return left == 0;
  }
};

ObjectEncoder::ObjectEncoder(ByteSink sink, std::optional<std::uint64_t> size_hint)
    : impl_(std::make_unique<Impl>(std::move(sink), size_hint)) {}
ObjectEncoder::~ObjectEncoder() = default;

Result<void> ObjectEncoder::update(std::span<const std::uint8_t> data) {
  impl_->hash.update(data);
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  while (in.pos < in.size) {
    auto r = impl_->pump(in, ZSTD_e_continue);
    if (!r) return fail(r.error());
  }
  return ok();
}

Result<Digest> ObjectEncoder::finish() {
  ZSTD_inBuffer in{nullptr, 0, 0};
  for (;;) {
    auto done = impl_->pump(in, ZSTD_e_end);
    if (!done) return fail(done.error());
    if (*done) break;
  }
  return impl_->hash.finish();
}

// Decompression contexts are kept per thread for reuse: creating one (and its buffers) costs
// more than decoding the few-KB object most files are. A list, not one, because a decoder may
// be alive while another is made on the same thread.
struct DCtxCache {
  std::vector<ZSTD_DCtx*> free;
  ~DCtxCache() {
    for (auto* c : free) ZSTD_freeDCtx(c);
  }
};
// Enough for the decoders one thread has alive at once; more are freed, not kept.
constexpr std::size_t kCachedDCtxPerThread = 4;
thread_local DCtxCache dctx_cache;

ZSTD_DCtx* take_dctx() {
  if (dctx_cache.free.empty()) return ZSTD_createDCtx();
  ZSTD_DCtx* c = dctx_cache.free.back();
  dctx_cache.free.pop_back();
  return c;
}

void give_dctx(ZSTD_DCtx* c) {
  if (!c) return;
  if (dctx_cache.free.size() >= kCachedDCtxPerThread) {
    ZSTD_freeDCtx(c);
    return;
  }
  ZSTD_DCtx_reset(c, ZSTD_reset_session_and_parameters);
  dctx_cache.free.push_back(c);
}

struct ObjectDecoder::Impl {
  ByteSink sink;
  std::uint64_t max_output;
  std::uint64_t produced = 0;
  bool frame_done = false;
  Sha256 hash;
  ZSTD_DCtx* ctx = take_dctx();
  // Sized to the object (most are a few KB), never zero-filled: a full-size zeroed buffer per
  // object cost more than decoding it. One byte over the promised size, at least 64, so that
  // excess output still shows and the decoder always has room to move.
  std::size_t out_size;
  std::unique_ptr<std::uint8_t[]> out_buf;

  Impl(ByteSink s, std::uint64_t max)
      : sink(std::move(s)),
        max_output(max),
        out_size(static_cast<std::size_t>(std::clamp<std::uint64_t>(max + 1, 64, ZSTD_DStreamOutSize()))),
        out_buf(new std::uint8_t[out_size]) {
    if (!ctx) throw std::bad_alloc();
    ZSTD_DCtx_setParameter(ctx, ZSTD_d_windowLogMax, kMaxWindowLog);
  }
  ~Impl() { give_dctx(ctx); }
};

ObjectDecoder::ObjectDecoder(ByteSink sink, std::uint64_t max_output)
    : impl_(std::make_unique<Impl>(std::move(sink), max_output)) {}
ObjectDecoder::~ObjectDecoder() = default;

std::uint64_t ObjectDecoder::output_size() const { return impl_->produced; }

Result<void> ObjectDecoder::update(std::span<const std::uint8_t> compressed) {
  auto& s = *impl_;
  ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
  while (in.pos < in.size) {
    // One object is one frame: bytes after its end are not part of the object.
    if (s.frame_done) return fail("object has trailing data after its zstd frame");
    ZSTD_outBuffer o{s.out_buf.get(), s.out_size, 0};
    std::size_t ret = ZSTD_decompressStream(s.ctx, &o, &in);
    if (ZSTD_isError(ret)) return zstd_error("object is corrupt", ret);
    if (ret == 0) s.frame_done = true;
    s.produced += o.pos;
    if (s.produced > s.max_output)
      return fail(std::make_error_code(std::errc::file_too_large),
                  "object decompresses to more than the " + std::to_string(s.max_output) + " bytes expected");
    s.hash.update(std::span<const std::uint8_t>(s.out_buf.get(), o.pos));
    if (o.pos)
      if (auto r = s.sink({s.out_buf.get(), o.pos}); !r) return r;
  }
  return ok();
}

Result<Digest> ObjectDecoder::finish_frame() {
  auto& s = *impl_;
  if (!s.frame_done) return fail("object is truncated (its zstd frame does not end)");
  return s.hash.finish();
}

Result<void> ObjectDecoder::finish(const Digest& expected) {
  auto got_or = finish_frame();
  if (!got_or) return fail(got_or.error());
  Digest got = *got_or;
  if (got != expected) return fail("object content hashes to " + got.hex() + ", expected " + expected.hex());
  return ok();
}

std::string compress_object(std::string_view content) {
  std::string out;
  ObjectEncoder enc([&](std::span<const std::uint8_t> b) {
    out.append(reinterpret_cast<const char*>(b.data()), b.size());
    return ok();
  });
  (void)enc.update({reinterpret_cast<const std::uint8_t*>(content.data()), content.size()});
  (void)enc.finish();
  return out;
}

namespace {

// The output of one whole frame; expected: the digest it must have, when it is an object.
Result<std::string> decode_whole(std::string_view compressed, std::uint64_t max_output, const Digest* expected) {
  std::string out;
  ObjectDecoder dec(
      [&](std::span<const std::uint8_t> b) {
        out.append(reinterpret_cast<const char*>(b.data()), b.size());
        return ok();
      },
      max_output);
  if (auto r = dec.update({reinterpret_cast<const std::uint8_t*>(compressed.data()), compressed.size()}); !r) return fail(r.error());
  if (expected) {
    if (auto r = dec.finish(*expected); !r) return fail(r.error());
  } else if (auto r = dec.finish_frame(); !r) {
    return fail(r.error());
  }
  return out;
}

}  // namespace

Result<std::string> decompress_object(std::string_view compressed, const Digest& expected, std::uint64_t max_output) {
  return decode_whole(compressed, max_output, &expected);
}

Result<std::string> zstd_compress(std::string_view data, int level) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  // Its own context, not the thread's: an ObjectEncoder may be alive on this thread.
  std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
  if (ZSTD_isError(n)) return zstd_error("compression failed", n);
  out.resize(n);
  return out;
}

Result<std::string> zstd_decompress(std::string_view frame, std::uint64_t max_output) {
  return decode_whole(frame, max_output, nullptr);
}

}  // namespace ingot::image
