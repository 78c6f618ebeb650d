// Secrets at rest (BMC passwords in the inventory): AES-256-GCM under a key kept in a 0600 file
// of the state directory, made on first use. A sealed value is "v1:" + hex(nonce | ciphertext |
// tag), a fresh random 96-bit nonce each time (NIST SP 800-38D §8.2.2), so equal passwords do
// not look equal. A stolen database without the key file reveals no password.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ingot::inventory {

inline constexpr const char* kSecretKeyFile = "secret.key";

class SecretBox {
 public:
  // Reads the 32-byte key from key_file, or makes it (mode 0600) when there is none.
  static Result<SecretBox> open_or_create(const std::filesystem::path& key_file);

  Result<std::string> seal(std::string_view plain) const;
  // Refuses anything not sealed under this key (tampered, truncated, another key).
  Result<std::string> open(std::string_view sealed) const;
  static bool is_sealed(std::string_view value);

 private:
  explicit SecretBox(const std::array<std::uint8_t, 32>& key) : key_(key) {}
  std::array<std::uint8_t, 32> key_{};
};

}  // namespace ingot::inventory
