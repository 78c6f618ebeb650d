// Big-endian writer into a growing byte vector: the encoder half of ByteReader.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace ingot {

class ByteWriter {
 public:
  void u8(std::uint8_t v) { buf_.push_back(v); }
  void u16be(std::uint16_t v) {
    buf_.push_back(static_cast<std::uint8_t>(v >> 8));
    buf_.push_back(static_cast<std::uint8_t>(v));
  }
  void u32be(std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) buf_.push_back(static_cast<std::uint8_t>(v >> shift));
  }
  void bytes(std::span<const std::uint8_t> b) { buf_.insert(buf_.end(), b.begin(), b.end()); }
  void str(std::string_view s) { buf_.insert(buf_.end(), s.begin(), s.end()); }
  void cstring(std::string_view s) { str(s); u8(0); }
  void zeros(std::size_t n) { buf_.insert(buf_.end(), n, 0); }

  std::size_t size() const { return buf_.size(); }
  std::vector<std::uint8_t>& buffer() { return buf_; }
  std::vector<std::uint8_t> take() { return std::move(buf_); }

 private:
  std::vector<std::uint8_t> buf_;
};

}  // namespace ingot
