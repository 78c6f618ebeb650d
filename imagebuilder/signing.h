// Ed25519 signatures over manifests (DESIGN.md, Formats: Image), through OpenSSL's EVP API.
// Keys are PEM files (PKCS#8 private, SubjectPublicKeyInfo public) made by `ingot key generate`.
// A detached signature file is one JSON line naming the algorithm, the signing key's
// fingerprint (so a verifier holding several keys can pick, and a mismatch says which key
// was used) and the base64 signature of the exact manifest bytes.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ingot::image {

inline constexpr const char* kPrivateKeyFile = "image-signing.key";
inline constexpr const char* kPublicKeyFile = "image-signing.pub";
// A PEM Ed25519 key is ~120 bytes; anything far larger is not a key file.
inline constexpr std::size_t kMaxKeyFileBytes = 16 * 1024;
// The signature file is one short JSON line.
inline constexpr std::size_t kMaxSignatureFileBytes = 4096;

class VerifyKey {
 public:
  static Result<VerifyKey> from_pem(std::string_view pem);
  static Result<VerifyKey> load(const std::filesystem::path& pem_file);
  VerifyKey(VerifyKey&&) noexcept;
  VerifyKey& operator=(VerifyKey&&) noexcept;
  ~VerifyKey();

  // First 16 hex digits of the SHA-256 of the raw 32-byte public key.
  const std::string& fingerprint() const { return fingerprint_; }
  std::string pem() const;
  // Checks a detached signature file's text against the message bytes.
  Result<void> verify(std::string_view message, std::string_view signature_file) const;

 private:
  struct Impl;
  explicit VerifyKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::string fingerprint_;
};

class SigningKey {
 public:
  static Result<SigningKey> load(const std::filesystem::path& pem_file);
  static Result<SigningKey> generate();
  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  ~SigningKey();

  std::string private_pem() const;
  VerifyKey public_key() const;
  // The detached signature file's text (one JSON line, newline-terminated).
  Result<std::string> sign(std::string_view message) const;

 private:
  struct Impl;
  explicit SigningKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Writes DIR/image-signing.key (mode 0600) and DIR/image-signing.pub; refuses to overwrite an
// existing key unless asked (losing a key means re-signing every image). Returns the fingerprint.
Result<std::string> generate_key_files(const std::filesystem::path& dir, bool overwrite);

}  // namespace ingot::image
