#include "pxe/tftp_root.h"

#include <cerrno>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pxe/tftp_error.h"

namespace ingot::pxe::tftp {
namespace {

std::error_code errno_code(int e) { return {e, std::generic_category()}; }

// O_NONBLOCK so a FIFO planted under the root cannot block the server in open().
constexpr int kOpenFlags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;

}  // namespace

File& File::operator=(File&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    size_ = o.size_;
    o.fd_ = -1;
  }
  return *this;
}

File::~File() {
  if (fd_ >= 0) ::close(fd_);
}

Root::~Root() {
  if (fd_ >= 0) ::close(fd_);
}

Result<Root> Root::open(const std::filesystem::path& dir) {
  std::error_code ec;
  auto real = std::filesystem::canonical(dir, ec);
  if (ec) return fail(ec, dir.string() + ": " + ec.message());
  int fd = ::open(real.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fail(errno_code(errno), dir.string() + ": cannot open as a directory");
  return Root(fd, std::move(real));
}

Result<int> Root::open_beneath(const std::string& name) const {
  open_how how{};
  how.flags = kOpenFlags;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, fd_, name.c_str(), &how, sizeof how);
  if (fd >= 0) return static_cast<int>(fd);
  if (errno == EXDEV) return fail(Errc::path_refused, "'" + name + "' resolves outside the root");
  if (errno == ENOSYS) return open_checked(name);
  return fail(errno_code(errno), "'" + name + "': " + std::generic_category().message(errno));
}

// Kernels before 5.6: open, then ask the kernel where the descriptor really points and
// refuse anything not under the root's canonical path.
Result<int> Root::open_checked(const std::string& name) const {
  int fd = ::openat(fd_, name.c_str(), kOpenFlags);
  if (fd < 0) return fail(errno_code(errno), "'" + name + "': " + std::generic_category().message(errno));
  std::error_code ec;
  auto where = std::filesystem::read_symlink("/proc/self/fd/" + std::to_string(fd), ec);
  auto rel = where.lexically_relative(real_);
  if (ec || rel.empty() || *rel.begin() == "..") {
    ::close(fd);
    return fail(Errc::path_refused, "'" + name + "' resolves outside the root");
  }
  return fd;
}

Result<File> Root::open_file(std::string_view name) const {
  if (name.empty() || name.size() > kMaxFilenameSize)
    return fail(Errc::path_refused, "filename empty or longer than " + std::to_string(kMaxFilenameSize));
  if (name.front() == '/') return fail(Errc::path_refused, "absolute path '" + std::string(name) + "'");
  // Refused up front, even when it would stay inside (a/../b): no legitimate boot file name
  // needs it and it is the classic probe.
  std::filesystem::path p{std::string(name)};
  for (const auto& part : p)
    if (part == "..") return fail(Errc::path_refused, "'..' in '" + std::string(name) + "'");
  auto fd = open_beneath(std::string(name));
  if (!fd) return fail(fd.error());
  struct stat st {};
  if (::fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(*fd);
    return fail(Errc::not_regular_file, "'" + std::string(name) + "' is not a regular file");
  }
  return File(*fd, static_cast<std::uint64_t>(st.st_size));
}

}  // namespace ingot::pxe::tftp
