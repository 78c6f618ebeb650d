// Turns a directory tree into manifest entries: lstat every path (never following symlinks),
// group hardlinks by inode (the first path in manifest order holds the content), read xattrs,
// clamp mtimes to SOURCE_DATE_EPOCH, and store each distinct file content in the object store
// on a few worker threads. Creation order, atimes, ctimes and the scanning umask never reach
// the manifest, so the same tree always scans to the same entries.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "imagebuilder/manifest.h"

namespace ingot::image {

class ObjectStore;

struct ScanOptions {
  std::optional<std::int64_t> clamp_mtime;  // SOURCE_DATE_EPOCH: later mtimes become this
  const ObjectStore* store = nullptr;        // null: hash contents only
  unsigned threads = 2;                      // hashing/compressing workers
  // Mount points below the root (a chroot's /proc, /sys, /dev/pts) are recorded as empty
  // directories: their contents are not part of the image.
  bool one_file_system = true;
  // progress(files_done, files_total, bytes_done) while contents are hashed and stored.
  std::function<void(std::size_t, std::size_t, std::uint64_t)> progress;
};

struct ScanStats {
  std::size_t files = 0;
  std::uint64_t bytes = 0;           // sum of distinct file contents
  std::size_t objects_added = 0;     // new objects written to the store
  std::uint64_t stored_bytes = 0;    // their compressed size
  std::vector<std::string> skipped;  // sockets and mount point contents, for the report
};

// Fills m.entries (sorted, hardlinks resolved) from root; leaves the header fields alone.
Result<ScanStats> scan_tree(const std::filesystem::path& root, const ScanOptions& options, Manifest& m);

// The xattrs of path (not following a symlink) into e.xattrs; none where unsupported.
Result<void> read_xattrs(const std::filesystem::path& path, Entry& e);

// SOURCE_DATE_EPOCH from the environment, if set and a valid non-negative integer.
Result<std::optional<std::int64_t>> source_date_epoch();

}  // namespace ingot::image
