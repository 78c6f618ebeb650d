// SHA-256 digests: the names of image objects. A value type (32 bytes, hex in manifests and on
// disk) plus a streaming hasher over OpenSSL's EVP interface; OpenSSL stays out of this header.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ingot::image {

struct Digest {
  std::array<std::uint8_t, 32> bytes{};

  std::string hex() const;  // 64 lowercase hex digits
  auto operator<=>(const Digest&) const = default;
};

inline constexpr std::size_t kDigestHexLength = 64;

// Strict: exactly 64 lowercase hex digits. Uppercase is refused so that one object has one
// name (two spellings would defeat deduplication and the byte-identical manifest).
Result<Digest> parse_digest(std::string_view hex);

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  void update(std::span<const std::uint8_t> data);
  void update(std::string_view data);
  Digest finish();  // the hasher is reset and may be reused

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

Digest sha256(std::string_view data);

}  // namespace ingot::image
