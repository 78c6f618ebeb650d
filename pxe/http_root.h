// The directory static boot files are served from. Opens a decoded URL path as a regular file
// strictly beneath the root: '..' segments are refused before the kernel sees them, and
// openat2(2) with RESOLVE_BENEATH makes the kernel refuse every resolution that would leave
// the root (absolute symlinks, symlinks pointing out), without a check-then-open race.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include <sys/stat.h>

#include "common/result.h"
#include "pxe/http_response.h"

namespace ingot::pxe {

struct OpenFile {
  FileHandle file;
  struct stat st {};
};

class HttpRoot {
 public:
  static Result<HttpRoot> open(const std::filesystem::path& dir);

  // Errors: no_such_file_or_directory (missing, a directory, not a regular file) → 404;
  // permission_denied (traversal, a symlink out of the root, unreadable) → 403.
  Result<OpenFile> open_file(std::string_view url_path) const;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::shared_ptr<FileHandle> dir_fd_;  // shared: HttpRoot is copied into route handlers
};

// Strips the leading '/' and checks each segment; "" for a path that names no file under the
// root (the root itself). Fails on '..' segments.
Result<std::string> relative_file_path(std::string_view url_path);

}  // namespace ingot::pxe
