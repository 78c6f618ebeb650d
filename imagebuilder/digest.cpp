#include "imagebuilder/digest.h"

#include <openssl/evp.h>

#include <cassert>
#include <stdexcept>

namespace ingot::image {

std::string Digest::hex() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(kDigestHexLength, '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  return out;
}

Result<Digest> parse_digest(std::string_view hex) {
  if (hex.size() != kDigestHexLength)
    return fail("sha256 must be 64 lowercase hex digits, got " + std::to_string(hex.size()) + " characters");
  Digest d;
  for (std::size_t i = 0; i < kDigestHexLength; ++i) {
    char c = hex[i];
    int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (v < 0) return fail("sha256 must be 64 lowercase hex digits, found '" + std::string(1, c) + "'");
    d.bytes[i / 2] = static_cast<std::uint8_t>(i % 2 ? d.bytes[i / 2] | v : v << 4);
  }
  return d;
}

struct Sha256::Impl {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Impl() {
    // Allocation or init failure of SHA-256 means a broken libcrypto: not recoverable here.
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) throw std::runtime_error("OpenSSL SHA-256 init failed");
  }
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::span<const std::uint8_t> data) {
  if (!data.empty()) EVP_DigestUpdate(impl_->ctx, data.data(), data.size());
}
void Sha256::update(std::string_view data) {
  if (!data.empty()) EVP_DigestUpdate(impl_->ctx, data.data(), data.size());
}

Digest Sha256::finish() {
  Digest d;
  unsigned int len = 0;
  EVP_DigestFinal_ex(impl_->ctx, d.bytes.data(), &len);
  assert(len == d.bytes.size());
  EVP_DigestInit_ex(impl_->ctx, EVP_sha256(), nullptr);
  return d;
}

Digest sha256(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.finish();
}

}  // namespace ingot::image
