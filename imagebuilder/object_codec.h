// Streaming zstd codec for image objects. An object is the zstd frame of a file's content and
// is named by the SHA-256 of the *uncompressed* content, so the decoder hashes as it goes and
// finish() says whether the bytes were the object they claimed to be. Used by the store, and by
// anything that receives objects over the network (bounded: it refuses output beyond a limit).
// Also the whole-buffer zstd frames of what is not an object (initramfs, the deploy ramdisk,
// manifests coded for the wire): every zstd call of ingot is in object_codec.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "imagebuilder/digest.h"

namespace ingot::image {

// zstd level 3: ~3x on OS trees at hundreds of MB/s; higher levels cost CPU on every build for
// a few percent on the wire. Fixed, so the same content always compresses to the same bytes.
inline constexpr int kObjectCompressionLevel = 3;

// Receives decompressed (decoder) or compressed (encoder) bytes; an error stops the stream.
using ByteSink = std::function<Result<void>(std::span<const std::uint8_t>)>;

class ObjectEncoder {
 public:
  // At most one live encoder per thread (they share a thread-local zstd context).
  // size_hint: the content's size when known; zstd then sizes its window to it, which makes
  // the many small files of an OS tree several times cheaper to compress.
  explicit ObjectEncoder(ByteSink sink, std::optional<std::uint64_t> size_hint = std::nullopt);
  ~ObjectEncoder();
  ObjectEncoder(const ObjectEncoder&) = delete;
  ObjectEncoder& operator=(const ObjectEncoder&) = delete;

  Result<void> update(std::span<const std::uint8_t> data);
  Result<Digest> finish();  // flushes the frame; returns the digest of the uncompressed input

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class ObjectDecoder {
 public:
  // max_output: the size the manifest promised; more output is refused as it arrives.
  ObjectDecoder(ByteSink sink, std::uint64_t max_output);
  ~ObjectDecoder();
  ObjectDecoder(const ObjectDecoder&) = delete;
  ObjectDecoder& operator=(const ObjectDecoder&) = delete;

  Result<void> update(std::span<const std::uint8_t> compressed);
  // Fails unless the frame is complete and the output hashes to `expected`.
  Result<void> finish(const Digest& expected);
  // Fails unless the frame is complete; the output's digest (for frames not named by content,
  // such as deltas, whose result is checked downstream).
  Result<Digest> finish_frame();
  std::uint64_t output_size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whole-buffer helpers for small objects and tests.
std::string compress_object(std::string_view content);
Result<std::string> decompress_object(std::string_view compressed, const Digest& expected, std::uint64_t max_output);

// One zstd frame of data at level (1..19), its content size recorded in the frame header.
Result<std::string> zstd_compress(std::string_view data, int level);
// The content of one zstd frame; a frame decoding to more than max_output bytes, asking for a
// larger window than objects may, or followed by other bytes is refused.
Result<std::string> zstd_decompress(std::string_view frame, std::uint64_t max_output);

}  // namespace ingot::image
