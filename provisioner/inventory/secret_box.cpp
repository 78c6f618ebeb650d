#include "provisioner/inventory/secret_box.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

#include "imagebuilder/file_io.h"

namespace ingot::inventory {
namespace {

constexpr std::string_view kPrefix = "v1:";
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
// A BMC password is at most 20 bytes (IPMI 2.0); this bounds what open() decodes.
constexpr std::size_t kMaxSecretBytes = 4096;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::string to_hex(const std::uint8_t* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(digits[p[i] >> 4]);
    s.push_back(digits[p[i] & 0xf]);
  }
  return s;
}

bool from_hex(std::string_view h, std::string& out) {
  if (h.size() % 2) return false;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  out.clear();
  for (std::size_t i = 0; i < h.size(); i += 2) {
    int hi = nib(h[i]), lo = nib(h[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return true;
}

}  // namespace

Result<SecretBox> SecretBox::open_or_create(const std::filesystem::path& key_file) {
  std::array<std::uint8_t, 32> key{};
  std::error_code ec;
  if (std::filesystem::exists(key_file, ec)) {
    auto text = image::read_file_limited(key_file, 128);
    if (!text) return fail(text.error());
    std::string raw;
    if (!from_hex(text->substr(0, text->find('\n')), raw) || raw.size() != key.size())
      return fail(key_file.string() + ": not a secret key (64 hex digits)");
    std::copy(raw.begin(), raw.end(), key.begin());
    return SecretBox(key);
  }
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) return fail("no randomness for a secret key");
  if (auto w = image::write_file_atomic(key_file, to_hex(key.data(), key.size()) + "\n", 0600); !w) return fail(w.error());
  return SecretBox(key);
}

bool SecretBox::is_sealed(std::string_view value) { return value.substr(0, kPrefix.size()) == kPrefix; }

Result<std::string> SecretBox::seal(std::string_view plain) const {
  if (plain.size() > kMaxSecretBytes) return fail("secret longer than " + std::to_string(kMaxSecretBytes) + " bytes");
  std::string buf(kNonceBytes + plain.size() + kTagBytes, '\0');
  auto* out = reinterpret_cast<std::uint8_t*>(buf.data());
  if (RAND_bytes(out, kNonceBytes) != 1) return fail("no randomness for a nonce");
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), out) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out + kNonceBytes, &len, reinterpret_cast<const std::uint8_t*>(plain.data()),
                        static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out + kNonceBytes + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, out + kNonceBytes + plain.size()) != 1)
    return fail("AES-GCM encryption failed");
  return std::string(kPrefix) + to_hex(out, buf.size());
}

Result<std::string> SecretBox::open(std::string_view sealed) const {
  std::string raw;
  if (!is_sealed(sealed) || sealed.size() > kPrefix.size() + 2 * (kNonceBytes + kMaxSecretBytes + kTagBytes) ||
      !from_hex(sealed.substr(kPrefix.size()), raw) || raw.size() < kNonceBytes + kTagBytes)
    return fail("not a sealed secret");
  auto* in = reinterpret_cast<std::uint8_t*>(raw.data());
  std::size_t n = raw.size() - kNonceBytes - kTagBytes;
  std::string plain(n, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), in) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<std::uint8_t*>(plain.data()), &len, in + kNonceBytes,
                        static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, in + kNonceBytes + n) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<std::uint8_t*>(plain.data()) + len, &len) != 1)
    return fail("a sealed secret does not open with this key (tampered, or another state directory's)");
  return plain;
}

}  // namespace ingot::inventory
