#include "imagebuilder/file_io.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ingot::image {

Unexpected errno_error(const std::string& what, const std::filesystem::path& path) {
  int err = errno;
  return fail(std::error_code(err, std::generic_category()), what + " " + path.string() + ": " + std::strerror(err));
}

Result<void> write_all(int fd, const void* data, std::size_t size, const std::filesystem::path& path) {
  auto* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("cannot write", path);
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return ok();
}

Result<std::string> read_file_limited(const std::filesystem::path& path, std::size_t max_bytes) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return errno_error("cannot open", path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_error("cannot stat", path);
  if (!S_ISREG(st.st_mode)) return fail(path.string() + " is not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
    return fail(path.string() + " is larger than the limit of " + std::to_string(max_bytes) + " bytes");
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("cannot read", path);
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_bytes)
      return fail(path.string() + " is larger than the limit of " + std::to_string(max_bytes) + " bytes");
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view content, mode_t mode) {
  std::string tmpl = (path.parent_path() / ("." + path.filename().string() + ".XXXXXX")).string();
  UniqueFd fd(::mkstemp(tmpl.data()));
  if (!fd) return errno_error("cannot create a temporary file for", path);
  auto cleanup = [&] { ::unlink(tmpl.c_str()); };
  if (auto r = write_all(fd.get(), content.data(), content.size(), path); !r) {
    cleanup();
    return r;
  }
  if (::fchmod(fd.get(), mode) != 0 || ::fsync(fd.get()) != 0) {
    auto e = errno_error("cannot sync", path);
    cleanup();
    return e;
  }
  fd.reset();
  if (::rename(tmpl.c_str(), path.c_str()) != 0) {
    auto e = errno_error("cannot rename into place", path);
    cleanup();
    return e;
  }
  return ok();
}

}  // namespace ingot::image
