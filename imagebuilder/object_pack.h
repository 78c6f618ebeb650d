// Object packs: many small image objects in one HTTP exchange, because most files of an OS tree
// are a few KB and one request each costs more than their bytes (POST /images/v1/objects/pack).
//   request:  the wanted objects' sha256, 64 lowercase hex digits each, one per line
//   response: "INGOTPK1", then per object in request order: sha256 (32 bytes) | u64be length |
//             the object's stored zstd frame; then an end record: 32 zero bytes | u64be 0.
// The pack only frames objects: each one is still decompressed and hash-checked by the
// ObjectDecoder as it is written, so a pack carries no trust of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "imagebuilder/digest.h"

namespace ingot::image {

inline constexpr std::string_view kPackMagic = "INGOTPK1";
inline constexpr std::size_t kPackRecordHeadBytes = 32 + 8;
// Objects per pack: 1024 lines of 65 bytes stay far below the HTTP shell's 1 MiB body limit,
// and a client wants several packs in flight anyway (parallel connections pipeline better
// than one huge answer).
inline constexpr std::size_t kMaxPackObjects = 1024;
// Stored bytes per pack, all records together: the server checks it before it answers and the
// client holds at most this much per pack in memory. Packs are for small files; a large one
// goes by GET /images/v1/objects/HASH (streamed, Range-capable).
inline constexpr std::uint64_t kMaxPackBytes = 64ull * 1024 * 1024;

// The request body for these digests (callers keep to kMaxPackObjects).
std::string encode_pack_request(std::span<const Digest> digests);
// Strict: lines of exactly 64 lowercase hex digits, at least one, at most kMaxPackObjects, no
// repeats (a repeat would make the server read and send an object twice for nothing).
Result<std::vector<Digest>> parse_pack_request(std::string_view body);

// The 8 magic bytes, and one record's head (the stored bytes follow it on the wire).
std::string pack_record_head(const Digest& d, std::uint64_t length);
std::string pack_end_record();

// Incremental decoder of a pack answer, fed as the bytes arrive. Refuses, as soon as it can
// tell: a wrong magic, an object that was not the next one asked for, a record longer than
// what is left of kMaxPackBytes, bytes after the end record; finish() refuses a stream that
// stopped before its end record or left asked objects out.
class PackReader {
 public:
  using OnObject = std::function<Result<void>(const Digest&, std::string&& stored)>;
  PackReader(std::vector<Digest> expected, OnObject on_object);

  Result<void> feed(std::span<const std::uint8_t> data);
  Result<void> finish() const;
  std::size_t objects_done() const { return next_; }

 private:
  Result<void> take_head();
  std::vector<Digest> expected_;
  OnObject on_object_;
  std::string pending_;  // bytes of an incomplete magic, head or record, from pos_ on
  std::size_t pos_ = 0;
  std::size_t next_ = 0;
  bool magic_seen_ = false;
  bool in_record_ = false;
  bool ended_ = false;
  Digest record_digest_{};
  std::uint64_t record_length_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace ingot::image
