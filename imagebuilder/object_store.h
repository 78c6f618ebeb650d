// The image store: a directory (default <state-dir>/images) holding
//   objects/ab/<sha256>.zst            zstd frame of a file's content, named by the content's hash
//   images/<role>/<version>/manifest.json and manifest.sig   (canonical manifest, detached signature)
//   tmp/                               temp files, renamed into place (a crash leaves no half object)
//   lock                               flock: builds hold it shared, gc exclusive
// Objects are deduplicated across every image and version; each read is verified against its
// name. Images are immutable once stored: a version is published by renaming a complete
// directory into place.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "imagebuilder/digest.h"
#include "imagebuilder/file_io.h"
#include "imagebuilder/image_ref.h"
#include "imagebuilder/manifest.h"
#include "imagebuilder/manifest_validate.h"
#include "imagebuilder/object_codec.h"

namespace ingot::image {

inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kSignatureFile = "manifest.sig";

struct PutResult {
  Digest digest;
  std::uint64_t size = 0;         // uncompressed
  std::uint64_t stored_size = 0;  // compressed bytes written (0 when it was already there)
  bool added = false;             // false: deduplicated against an existing object
};

struct GcReport {
  std::size_t objects_kept = 0;
  std::size_t objects_removed = 0;
  std::uint64_t bytes_freed = 0;
  std::size_t temp_files_removed = 0;
  std::size_t deltas_removed = 0;  // deltas (and "not worth it" marks) whose base or result went
};

// An advisory lock on the store, released on destruction.
class StoreLock {
 public:
  StoreLock() = default;
  explicit StoreLock(UniqueFd fd) : fd_(std::move(fd)) {}

 private:
  UniqueFd fd_;
};

// Hashes an open file from its start without storing it (added = false, stored_size = 0).
Result<PutResult> hash_fd(int fd, const std::filesystem::path& name_for_errors);

class ObjectStore {
 public:
  // Creates the layout when missing.
  static Result<ObjectStore> open(const std::filesystem::path& root);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path object_path(const Digest& d) const;
  bool has_object(const Digest& d) const;

  // Builds and gc coordinate here; both block until granted.
  Result<StoreLock> lock_shared() const;
  Result<StoreLock> lock_exclusive() const;

  // Hashes the open file, then compresses it into the store unless an object with that hash
  // exists. The file must not change meanwhile (checked: the second pass must hash the same).
  Result<PutResult> put_fd(int fd, const std::filesystem::path& name_for_errors) const;
  Result<PutResult> put_file(const std::filesystem::path& path) const;
  Result<PutResult> put_bytes(std::string_view content) const;

  // Streams the object's content to sink, verifying its hash and size. On error the sink may
  // have had part of the bytes: write into a temp file and drop it on failure.
  Result<void> read_object(const Digest& d, std::uint64_t size, const ByteSink& sink) const;
  // The same when the size is not known (deltas are built from hashes alone): refuses output
  // beyond max_size; returns the object's size.
  Result<std::uint64_t> read_object_bounded(const Digest& d, std::uint64_t max_size, const ByteSink& sink) const;
  // The compressed object's size on disk (what a fetch of it costs on the wire).
  Result<std::uint64_t> stored_size(const Digest& d) const;
  Result<std::string> read_object_bytes(const Digest& d, std::uint64_t size) const;
  Result<void> verify_object(const Digest& d, std::uint64_t size) const;
  Result<std::vector<Digest>> list_objects() const;

  // Images. put_image refuses an existing role@version (versions are immutable).
  Result<void> put_image(const ImageRef& ref, std::string_view manifest_json, std::string_view signature) const;
  bool has_image(const ImageRef& ref) const;
  std::filesystem::path image_dir(const ImageRef& ref) const;
  Result<std::string> read_manifest_text(const ImageRef& ref) const;
  Result<std::string> read_signature(const ImageRef& ref) const;
  // Parses and validates (not the signature: see image_verify.h).
  Result<Manifest> load_manifest(const ImageRef& ref, const ManifestPolicy& policy = {}) const;
  // Sorted by role, then version_less.
  Result<std::vector<ImageRef>> list_images() const;
  // The highest version of a role below `before` (or the highest at all when before is empty).
  Result<std::optional<ImageRef>> previous_version(std::string_view role, std::string_view before) const;
  Result<void> remove_image(const ImageRef& ref) const;

  // Removes objects no stored manifest references and stale temp files (under an exclusive lock).
  Result<GcReport> gc(bool dry_run) const;

  // A new file under tmp/ (renamed into place by whoever fills it).
  Result<UniqueFd> open_temp(std::string* path_out) const;

 private:
  explicit ObjectStore(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path root_;
};

}  // namespace ingot::image
