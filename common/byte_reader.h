// Bounds-checked big-endian reader over untrusted bytes. Reads past the end return zero/empty
// and latch a failure flag; decoders read a structure, then check ok() once. Never a struct cast.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace ingot {

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> data) : data_(data) {}

  std::uint8_t u8() {
    if (!need(1)) return 0;
    return data_[pos_++];
  }
  std::uint16_t u16be() {
    if (!need(2)) return 0;
    std::uint16_t v = static_cast<std::uint16_t>(data_[pos_] << 8 | data_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  std::uint32_t u32be() {
    if (!need(4)) return 0;
    std::uint32_t v = std::uint32_t(data_[pos_]) << 24 | std::uint32_t(data_[pos_ + 1]) << 16 |
                      std::uint32_t(data_[pos_ + 2]) << 8 | std::uint32_t(data_[pos_ + 3]);
    pos_ += 4;
    return v;
  }
  std::span<const std::uint8_t> bytes(std::size_t n) {
    if (!need(n)) return {};
    auto s = data_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  // A NUL-terminated string of at most max bytes (terminator excluded). Fails if no NUL is
  // found within max+1 bytes or before the end.
  std::string_view cstring(std::size_t max) {
    if (failed_) return {};
    for (std::size_t i = pos_; i < data_.size() && i - pos_ <= max; ++i) {
      if (data_[i] == 0) {
        std::string_view s(reinterpret_cast<const char*>(data_.data() + pos_), i - pos_);
        pos_ = i + 1;
        return s;
      }
    }
    failed_ = true;
    return {};
  }
  void skip(std::size_t n) { (void)bytes(n); }

  std::size_t remaining() const { return failed_ ? 0 : data_.size() - pos_; }
  std::size_t position() const { return pos_; }
  bool ok() const { return !failed_; }
  bool at_end() const { return remaining() == 0; }

 private:
  bool need(std::size_t n) {
    if (failed_ || data_.size() - pos_ < n) {
      failed_ = true;
      return false;
    }
    return true;
  }

  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace ingot
