// The directory a TFTP server serves from, and the only way to open files under it.
// Requests name files relative to the root; absolute paths, ".." and symlinks that resolve
// outside it are refused. Uses openat2(RESOLVE_BENEATH) (Linux 5.6+), which checks every
// component in the kernel with no race; older kernels get an open-then-verify fallback.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "common/result.h"

namespace ingot::pxe::tftp {

// Longest filename accepted: a request is at most 512 bytes anyway (RFC 2347), and Linux
// PATH_MAX is 4096; boot file names are short.
constexpr std::size_t kMaxFilenameSize = 255;

// An open regular file: owns the descriptor.
class File {
 public:
  File() = default;
  File(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
  File(File&& o) noexcept : fd_(o.fd_), size_(o.size_) { o.fd_ = -1; }
  File& operator=(File&& o) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File();

  int fd() const { return fd_; }
  std::uint64_t size() const { return size_; }

 private:
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

class Root {
 public:
  static Result<Root> open(const std::filesystem::path& dir);
  Root(Root&& o) noexcept : fd_(o.fd_), real_(std::move(o.real_)) { o.fd_ = -1; }
  Root(const Root&) = delete;
  Root& operator=(const Root&) = delete;
  ~Root();

  // Errors carry Errc::path_refused, Errc::not_regular_file or the errno of the open.
  Result<File> open_file(std::string_view name) const;
  const std::filesystem::path& path() const { return real_; }

 private:
  Root(int fd, std::filesystem::path real) : fd_(fd), real_(std::move(real)) {}
  Result<int> open_beneath(const std::string& name) const;
  Result<int> open_checked(const std::string& name) const;

  int fd_ = -1;
  std::filesystem::path real_;
};

}  // namespace ingot::pxe::tftp
