#pragma once
// zstd content coding for image manifests on the wire (RFC 9110 §8.4 Content-Encoding,
// §12.5.3 Accept-Encoding; zstd as a coding: RFC 8878 §7.2). A manifest of a full OS is a few MB
// of JSON that compresses ~10x; the signature covers the decoded bytes, so coding is only
// transport. Encoded forms are cached: a manifest is immutable once published.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ingot::server {

// Whether an Accept-Encoding field value lists zstd with a non-zero weight.
bool accepts_zstd(std::string_view accept_encoding);

// The zstd frame of the file at path (read bounded by image::kMaxManifestBytes), from a small
// cache keyed by path, size and mtime.
Result<std::shared_ptr<const std::string>> zstd_encoded_manifest(const std::filesystem::path& path);

}  // namespace ingot::server
