// Deltas between pairs of stored objects (DESIGN.md, Formats: Delta), kept in the image store:
//   deltas/<base>/<new>.zst    zstd frame of the librsync delta base -> new
//   deltas/<base>/<new>.none   "not worth it": the delta was not smaller than the new object's
//                              stored size, or an object was over the input limit; remembered
//                              so that it is never computed again (the content says why)
// Any pair of objects works, in either direction; building is idempotent (temp + rename).
#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>

#include "common/result.h"
#include "imagebuilder/digest.h"
#include "imagebuilder/object_store.h"

namespace ingot::image {

// Largest object (uncompressed) a delta is built from or to. The base is held in memory while
// its signature is made and building costs about 1 s of CPU per 50 MB, so this bounds what one
// request can make a server do synchronously. OS trees rarely have bigger files (a few firmware
// blobs and libLLVM), and those then travel whole.
inline constexpr std::uint64_t kMaxDeltaInputBytes = 64ull * 1024 * 1024;

// Files below this are fetched whole: their compressed object is a few KB at most, so a delta
// saves less than the extra round trip asking for it costs.
inline constexpr std::uint64_t kMinDeltaFileBytes = 8 * 1024;

enum class DeltaStatus {
  missing,         // not built yet
  stored,          // delta_path() holds it
  not_worth_it,    // remembered: fetch the whole object
  unknown_object,  // the base or the new object is not in the store
};

struct DeltaInfo {
  DeltaStatus status = DeltaStatus::missing;
  std::uint64_t delta_size = 0;   // stored (compressed) bytes of the delta
  std::uint64_t object_size = 0;  // stored (compressed) bytes of the new object, when built now
  std::string reason;             // why not worth it
};

std::filesystem::path delta_path(const ObjectStore& store, const Digest& base, const Digest& want);

// What is stored for the pair, without building anything.
DeltaInfo lookup_delta(const ObjectStore& store, const Digest& base, const Digest& want);

// Builds and stores the delta unless the pair is already known; CPU-heavy (run it off any event
// loop). Errors are I/O or corrupt objects; "no delta" is a status, not an error.
Result<DeltaInfo> build_delta(const ObjectStore& store, const Digest& base, const Digest& want);

// Removes deltas and marks whose base or result is not in live (gc). Returns how many.
std::size_t gc_deltas(const ObjectStore& store, const std::set<Digest>& live, bool dry_run);

}  // namespace ingot::image
