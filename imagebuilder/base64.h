// Base64 (RFC 4648 section 4, with padding) for binary values inside JSON: xattr values in
// manifests, signatures. The decoder is strict so that one value has one spelling.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace ingot::image {

std::string base64_encode(std::string_view bytes);
// Refuses characters outside the alphabet, missing or misplaced padding, and non-zero
// trailing bits (which would give two spellings of the same bytes).
Result<std::string> base64_decode(std::string_view text);

}  // namespace ingot::image
