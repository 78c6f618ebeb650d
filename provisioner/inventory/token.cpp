#include "provisioner/inventory/token.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "imagebuilder/digest.h"

namespace ingot::inventory {
namespace {
std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    s[2 * i] = digits[p[i] >> 4];
    s[2 * i + 1] = digits[p[i] & 0xf];
  }
  return s;
}
}  // namespace

std::string random_token() {
  unsigned char buf[32];
  if (RAND_bytes(buf, sizeof buf) != 1) throw std::runtime_error("RAND_bytes failed");
  return hex(buf, sizeof buf);
}

std::string sha256_hex(std::string_view data) { return image::sha256(data).hex(); }

bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace ingot::inventory
