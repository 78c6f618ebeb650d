// Canonical JSON for manifests: one header line, then one entry per line in manifest order with
// fields in a fixed order, integers in decimal, mode as 4 octal digits, xattr values in base64.
// Same Manifest value => same bytes, which is what makes builds reproducible and signable.
// The parser takes untrusted bytes and refuses anything malformed or hostile with a message
// naming the entry and the rule (see manifest_validate.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "imagebuilder/manifest.h"
#include "imagebuilder/manifest_validate.h"

namespace ingot::image {

inline constexpr int kManifestFormat = 1;
// kMaxEntries entries of ~200 bytes each, rounded up; refused before any parsing.
inline constexpr std::size_t kMaxManifestBytes = 512ULL << 20;
// The manifest's shape is 4 levels deep (object > entries > entry > xattrs); anything deeper
// is refused before the JSON parser sees it, so nesting cannot exhaust its stack or memory.
inline constexpr int kMaxManifestNesting = 8;

// The entries must be in manifest order (canonicalise()); the output is then canonical.
std::string manifest_to_json(const Manifest& m);

Result<Manifest> parse_manifest(std::string_view text, const ManifestPolicy& policy = {});

}  // namespace ingot::image
