// Validation of a manifest's meaning, shared by the JSON parser (untrusted manifests from a
// store or the network) and the builder (a scanned tree must obey the same rules before it is
// signed). Every limit is here with the reason for its value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "imagebuilder/manifest.h"

namespace ingot::image {

// Linux's PATH_MAX and NAME_MAX: nothing longer can be created on the target anyway.
inline constexpr std::size_t kMaxPathLength = 4095;
inline constexpr std::size_t kMaxNameLength = 255;
// A full OpenStack controller image is ~150k paths; 2M leaves room and bounds memory (~0.5 GB).
inline constexpr std::size_t kMaxEntries = 2'000'000;
// No file in an OS image comes near 16 GiB; a larger claimed size is a hostile manifest trying to
// make a node preallocate or download without end.
inline constexpr std::uint64_t kMaxFileSize = 16ULL << 30;
// The sum of all file sizes: larger than any root disk we would lay an image onto.
inline constexpr std::uint64_t kMaxImageBytes = 256ULL << 30;
// Linux's XATTR_NAME_MAX / XATTR_SIZE_MAX; real trees carry a few (capabilities, ACLs, SELinux).
inline constexpr std::size_t kMaxXattrNameLength = 255;
inline constexpr std::size_t kMaxXattrValueSize = 65536;
inline constexpr std::size_t kMaxXattrsPerEntry = 64;
// Keep lists are a handful of operator-written patterns.
inline constexpr std::size_t kMaxKeepPatterns = 1024;
// 9999-12-31T23:59:59Z: far future mtimes are clamped by builds; beyond this is garbage.
inline constexpr std::int64_t kMaxMtime = 253402300799;

struct ManifestPolicy {
  // Device nodes are allowed only under dev/ (where debootstrap creates console, null, ...):
  // a block device elsewhere, say etc/disk mode 0666, would hand raw disk access to any user.
  bool allow_devices = true;
  // Absolute symlink targets are resolved against the image root once the node boots
  // (/etc/localtime -> /usr/share/zoneinfo/UTC). They stay allowed unless a caller says not.
  bool allow_absolute_symlinks = true;
};

// A normalised relative path: "." (the root) or components joined by single '/', none empty,
// "." or "..", no leading or trailing '/', no control characters, within the length limits.
Result<void> check_entry_path(std::string_view path);

// The symlink rule: the target, resolved lexically from the link's directory (relative) or
// from the image root (absolute), must never climb above the image root with "..". Lexical is
// enough because the sync engine never follows symlinks inside the target while writing: this
// rule keeps a link from naming a host path when some tool resolves it outside a chroot.
Result<void> check_symlink_target(std::string_view link_path, std::string_view target, const ManifestPolicy& policy);

// A keep pattern: a normalised relative path whose components may use fnmatch globs.
Result<void> check_keep_pattern(std::string_view pattern);

// Everything: header, order and uniqueness, parents are directories, per-type fields, limits,
// hardlink targets, symlink rule, device placement. Errors name the entry index and path.
Result<void> validate_manifest(const Manifest& m, const ManifestPolicy& policy = {});

}  // namespace ingot::image
