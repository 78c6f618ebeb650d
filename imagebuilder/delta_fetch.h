// Fetching a file's new content as a librsync delta against the content already on disk
// (DESIGN.md, Formats: Delta). The result is checked against the
// manifest's hash before a single byte reaches the sink; a base that does not hash to base_sha,
// a missing or corrupt delta all fall back to the whole object, so the sink only ever gets the
// verified content (or, on a hard error, a prefix of it: write to a temp file, as for fetch).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/result.h"
#include "imagebuilder/apply_source.h"
#include "imagebuilder/manifest.h"

namespace ingot::image {

// A delta's result up to this size is assembled in memory and checked, then written (one pass);
// a bigger one is patched twice, once to check its hash and once into the sink, so that memory
// stays bounded on a node.
inline constexpr std::uint64_t kDeltaSpoolBytes = 8 * 1024 * 1024;

// Largest delta answer taken for a file of size S: S + this. A useful delta is smaller than the
// compressed object, itself at most S plus zstd's framing; anything bigger is not a delta.
inline constexpr std::uint64_t kMaxDeltaOverhead = 64 * 1024;

struct FetchInfo {
  bool via_delta = false;        // the content came from a delta
  std::uint64_t wire_bytes = 0;  // bytes the source delivered (delta and/or object)
  std::uint64_t delta_bytes = 0; // of which the delta (also counted when it proved unusable)
  std::string fallback;          // why a delta was not used, when one was tried or the base was wrong
};

Result<void> fetch_via_delta(ImageSource& src, const Entry& want, const Digest& base_sha,
                             const std::filesystem::path& base_file, const ByteSink& sink, FetchInfo* info = nullptr);

}  // namespace ingot::image
