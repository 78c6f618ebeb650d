// Random bearer tokens and their stored digests (OpenSSL). Tokens are 32 random bytes, hex.
#pragma once

#include <string>
#include <string_view>

namespace ingot::inventory {

std::string random_token();
std::string sha256_hex(std::string_view data);
// Constant-time comparison for equal-length strings (token digests).
bool same_secret(std::string_view a, std::string_view b);

}  // namespace ingot::inventory
