#include "imagebuilder/object_pack.h"

#include <set>

#include "common/byte_reader.h"

namespace ingot::image {
namespace {

std::string u64be(std::uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[std::size_t(i)] = static_cast<char>(v & 0xff);
  return out;
}

}  // namespace

std::string encode_pack_request(std::span<const Digest> digests) {
  std::string out;
  out.reserve(digests.size() * (kDigestHexLength + 1));
  for (auto& d : digests) out += d.hex() + "\n";
  return out;
}

Result<std::vector<Digest>> parse_pack_request(std::string_view body) {
  std::vector<Digest> out;
  std::set<Digest> seen;
  std::size_t line_no = 0;
  while (!body.empty()) {
    auto nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
    ++line_no;
    if (out.size() == kMaxPackObjects)
      return fail("pack request: more than " + std::to_string(kMaxPackObjects) + " objects");
    auto d = parse_digest(line);
    if (!d) return fail("pack request line " + std::to_string(line_no) + ": " + d.error().message());
    if (!seen.insert(*d).second) return fail("pack request line " + std::to_string(line_no) + ": " + std::string(line) + " repeated");
    out.push_back(*d);
  }
  if (out.empty()) return fail("pack request: no objects named");
  return out;
}

std::string pack_record_head(const Digest& d, std::uint64_t length) {
  return std::string(reinterpret_cast<const char*>(d.bytes.data()), d.bytes.size()) + u64be(length);
}

std::string pack_end_record() { return pack_record_head(Digest{}, 0); }

PackReader::PackReader(std::vector<Digest> expected, OnObject on_object)
    : expected_(std::move(expected)), on_object_(std::move(on_object)) {}

Result<void> PackReader::take_head() {
  ByteReader r({reinterpret_cast<const std::uint8_t*>(pending_.data() + pos_), kPackRecordHeadBytes});
  auto digest = r.bytes(32);
  std::copy(digest.begin(), digest.end(), record_digest_.bytes.begin());
  std::uint64_t hi = r.u32be(), lo = r.u32be();
  record_length_ = (hi << 32) | lo;
  pos_ += kPackRecordHeadBytes;
  if (record_digest_ == Digest{}) {
    if (record_length_ != 0) return fail("pack: end record with a length");
    ended_ = true;
    return ok();
  }
  if (next_ >= expected_.size()) return fail("pack: more objects than asked for");
  if (record_digest_ != expected_[next_])
    return fail("pack: object " + record_digest_.hex() + " where " + expected_[next_].hex() + " was next");
  if (record_length_ > kMaxPackBytes - total_)
    return fail("pack: object " + record_digest_.hex() + " of " + std::to_string(record_length_) +
                " bytes goes past the pack limit of " + std::to_string(kMaxPackBytes));
  total_ += record_length_;
  in_record_ = true;
  return ok();
}

Result<void> PackReader::feed(std::span<const std::uint8_t> data) {
  // Consumed bytes are dropped once they are most of the buffer: erasing each record from the
  // front would move a whole pack's worth of bytes per record.
  if (pos_ > 0 && pos_ * 2 >= pending_.size()) {
    pending_.erase(0, pos_);
    pos_ = 0;
  }
  pending_.append(reinterpret_cast<const char*>(data.data()), data.size());
  for (;;) {
    std::size_t avail = pending_.size() - pos_;
    if (ended_) {
      if (avail) return fail("pack: data after the end record");
      return ok();
    }
    if (!magic_seen_) {
      std::size_t n = std::min(avail, kPackMagic.size());
      if (std::string_view(pending_).substr(pos_, n) != kPackMagic.substr(0, n)) return fail("pack: not an ingot pack (bad magic)");
      if (n < kPackMagic.size()) return ok();
      pos_ += kPackMagic.size();
      magic_seen_ = true;
      continue;
    }
    if (!in_record_) {
      if (avail < kPackRecordHeadBytes) return ok();
      if (auto r = take_head(); !r) return r;
      continue;
    }
    if (avail < record_length_) return ok();
    std::string stored = pending_.substr(pos_, record_length_);
    pos_ += record_length_;
    in_record_ = false;
    if (auto r = on_object_(expected_[next_], std::move(stored)); !r) return r;
    ++next_;
  }
}

Result<void> PackReader::finish() const {
  if (!ended_)
    return fail("pack: truncated after " + std::to_string(next_) + " of " + std::to_string(expected_.size()) + " objects");
  if (next_ != expected_.size())
    return fail("pack: ended after " + std::to_string(next_) + " of " + std::to_string(expected_.size()) + " objects");
  return ok();
}

}  // namespace ingot::image
