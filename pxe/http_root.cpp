#include "pxe/http_root.h"

#include <cerrno>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ingot::pxe {
namespace {
std::error_code errc(std::errc e) { return std::make_error_code(e); }

// glibc 2.36 has no openat2() wrapper.
int open_beneath(int dir_fd, const char* rel) {
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(::syscall(SYS_openat2, dir_fd, rel, &how, sizeof how));
}
}  // namespace

Result<std::string> relative_file_path(std::string_view url_path) {
  std::string rel;
  while (!url_path.empty()) {
    auto slash = url_path.find('/');
    auto seg = url_path.substr(0, slash);
    url_path = slash == std::string_view::npos ? std::string_view() : url_path.substr(slash + 1);
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") return fail(errc(std::errc::permission_denied), "'..' in path");
    if (!rel.empty()) rel.push_back('/');
    rel.append(seg);
  }
  return rel;
}

Result<HttpRoot> HttpRoot::open(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return fail(std::error_code(e, std::generic_category()),
                dir.string() + ": cannot open HTTP root: " + std::generic_category().message(e));
  }
  HttpRoot r;
  r.dir_ = dir;
  r.dir_fd_ = std::make_shared<FileHandle>(fd);
  return r;
}

Result<OpenFile> HttpRoot::open_file(std::string_view url_path) const {
  auto rel = relative_file_path(url_path);
  if (!rel) return fail(rel.error());
  if (rel->empty()) return fail(errc(std::errc::no_such_file_or_directory), "the root is not a file");
  int fd = open_beneath(dir_fd_->get(), rel->c_str());
  if (fd < 0) {
    int e = errno;
    if (e == ENOENT || e == ENOTDIR || e == ENAMETOOLONG)
      return fail(errc(std::errc::no_such_file_or_directory), *rel + ": not found");
    // EXDEV: resolution would leave the root; ELOOP: symlink loop or magic link.
    return fail(errc(std::errc::permission_denied), *rel + ": refused: " + std::generic_category().message(e));
  }
  OpenFile f{FileHandle(fd), {}};
  if (::fstat(fd, &f.st) != 0 || !S_ISREG(f.st.st_mode))
    return fail(errc(std::errc::no_such_file_or_directory), *rel + ": not a regular file");
  return f;
}

}  // namespace ingot::pxe
