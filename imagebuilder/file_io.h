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

namespace ingot::image {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.release();
    }
    return *this;
  }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset();

 private:
  int fd_ = -1;
};

// An error from errno, naming what was being done to which path.
Unexpected errno_error(const std::string& what, const std::filesystem::path& path);

// Reads a whole file, refusing files larger than max_bytes (named by each caller's limit).
Result<std::string> read_file_limited(const std::filesystem::path& path, std::size_t max_bytes);

// Writes content to path atomically (fsynced before the rename: manifests and keys matter).
Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view content, mode_t mode = 0644);

// Writes all of data to fd, retrying short writes and EINTR.
Result<void> write_all(int fd, const void* data, std::size_t size, const std::filesystem::path& path);

}  // namespace ingot::image
