// Small POSIX file helpers for the store and the builder: an fd owner, bounded whole-file
// reads, and atomic writes (temp file in the same directory, then rename) so that a crash
// leaves the old file or the new one, never half of either.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>

#include "common/result.h"
#include "common/unique_fd.h"

namespace ingot::image {

using ingot::UniqueFd;  // image::UniqueFd, as the store's callers name it

// An error from errno, naming what was being done to which path.
Unexpected errno_error(const std::string& what, const std::filesystem::path& path);

// Reads a whole file, refusing files larger than max_bytes (named by each caller's limit).
Result<std::string> read_file_limited(const std::filesystem::path& path, std::size_t max_bytes);

// Writes content to path atomically (fsynced before the rename: manifests and keys matter).
Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view content, mode_t mode = 0644);

// Writes all of data to fd, retrying short writes and EINTR.
Result<void> write_all(int fd, const void* data, std::size_t size, const std::filesystem::path& path);

}  // namespace ingot::image
