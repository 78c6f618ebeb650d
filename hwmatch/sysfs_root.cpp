#include "hwmatch/sysfs_root.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ingot::hwmatch {
namespace fs = std::filesystem;

bool SysfsRoot::live() const {
  std::error_code ec;
  return fs::equivalent(root_, "/", ec);
}

namespace {

// Opens root/rel with every symlink and ".." resolved inside root (RESOLVE_IN_ROOT), so a
// captured tree whose links point at "/etc/..." reads its own files, never the host's.
// Kernels before 5.6 lack openat2: there the plain open is used.
int open_in_root(const fs::path& root, std::string_view rel) {
  constexpr int kFlags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  int dir = ::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return -1;
  open_how how{};
  how.flags = kFlags;
  how.resolve = RESOLVE_IN_ROOT;
  std::string r(rel);
  int fd = static_cast<int>(::syscall(SYS_openat2, dir, r.c_str(), &how, sizeof how));
  if (fd < 0 && errno == ENOSYS) fd = ::openat(dir, r.c_str(), kFlags);
  int saved = errno;
  ::close(dir);
  errno = saved;
  return fd;
}

}  // namespace

FileRead SysfsRoot::read(std::string_view rel, std::size_t limit) const {
  FileRead r;
  int fd = open_in_root(root_, rel);
  if (fd < 0) {
    r.status = errno == ENOENT || errno == ENOTDIR ? ReadStatus::missing : ReadStatus::unreadable;
    return r;
  }
  // Read one byte past the limit to tell "exactly limit" from "longer".
  std::string buf(std::min<std::size_t>(limit + 1, 64 * 1024), '\0');
  std::size_t got = 0;
  r.status = ReadStatus::ok;
  while (true) {
    if (got == buf.size()) {
      if (buf.size() > limit) break;
      buf.resize(std::min(buf.size() * 2, limit + 1));
    }
    ssize_t n = ::read(fd, buf.data() + got, buf.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      r.status = ReadStatus::unreadable;  // e.g. EINVAL from "speed" on a link that is down
      break;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (r.status != ReadStatus::ok) return r;
  if (got > limit) {
    r.status = ReadStatus::too_large;
    return r;
  }
  buf.resize(got);
  r.data = std::move(buf);
  return r;
}

std::optional<std::string> SysfsRoot::attribute(std::string_view rel) const {
  FileRead r = read(rel, kMaxSysfsAttribute);
  if (!r.ok()) return std::nullopt;
  return trim(r.data);
}

bool SysfsRoot::exists(std::string_view rel) const {
  std::error_code ec;
  return fs::exists(path(rel), ec);
}

DirListing SysfsRoot::list(std::string_view rel) const {
  DirListing d;
  std::error_code ec;
  fs::directory_iterator it(path(rel), ec);
  if (ec) {
    d.status = ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory ? ReadStatus::missing
                                                                                             : ReadStatus::unreadable;
    return d;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) {
      d.status = ReadStatus::unreadable;
      d.names.clear();
      return d;
    }
    if (d.names.size() == kMaxDirEntries) {
      d.status = ReadStatus::too_large;
      d.names.clear();
      return d;
    }
    d.names.push_back(it->path().filename().string());
  }
  std::sort(d.names.begin(), d.names.end());
  d.status = ReadStatus::ok;
  return d;
}

std::optional<std::string> SysfsRoot::link_target(std::string_view rel) const {
  std::error_code ec;
  fs::path t = fs::read_symlink(path(rel), ec);
  if (ec) return std::nullopt;
  return t.string();
}

std::optional<std::string> SysfsRoot::resolve(std::string_view rel) const {
  std::error_code ec;
  fs::path real = fs::canonical(path(rel), ec);
  if (ec) return std::nullopt;
  fs::path base = fs::canonical(root_, ec);
  if (ec) return std::nullopt;
  fs::path r = real.lexically_relative(base);
  if (r.empty() || *r.begin() == "..") return std::nullopt;
  return r.string();
}

std::string trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\0'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::optional<unsigned long long> parse_u64(std::string_view s, int base) {
  if (base == 16 && (s.starts_with("0x") || s.starts_with("0X"))) s.remove_prefix(2);
  if (s.empty()) return std::nullopt;
  unsigned long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::vector<unsigned>> parse_cpu_list(std::string_view s, unsigned max_cpu) {
  std::vector<unsigned> out;
  std::string t = trim(s);
  std::string_view rest = t;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    auto dash = item.find('-');
    auto lo = parse_u64(item.substr(0, dash));
    auto hi = dash == std::string_view::npos ? lo : parse_u64(item.substr(dash + 1));
    if (!lo || !hi || *lo > *hi || *hi >= max_cpu) return std::nullopt;
    for (auto c = *lo; c <= *hi; ++c) out.push_back(static_cast<unsigned>(c));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace ingot::hwmatch
