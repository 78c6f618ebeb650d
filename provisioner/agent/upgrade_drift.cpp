#include "provisioner/agent/upgrade_drift.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace ingot::agent {
using image::Entry;
using image::EntryType;

namespace {

mode_t file_type(EntryType t) {
  switch (t) {
    case EntryType::dir: return S_IFDIR;
    case EntryType::symlink: return S_IFLNK;
    case EntryType::char_device: return S_IFCHR;
    case EntryType::block_device: return S_IFBLK;
    case EntryType::fifo: return S_IFIFO;
    default: return S_IFREG;
  }
}

bool matches(const image::Manifest& m, const Entry& e, const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return false;
  if ((st.st_mode & S_IFMT) != file_type(e.type)) return false;
  const Entry* inode = m.resolve(e);
  if (!inode) return false;
  if (st.st_uid != inode->uid || st.st_gid != inode->gid) return false;
  if (e.type != EntryType::symlink && (st.st_mode & 07777) != inode->mode) return false;
  switch (e.type) {
    case EntryType::file:
    case EntryType::hardlink:
      return static_cast<std::uint64_t>(st.st_size) == inode->size && st.st_mtim.tv_sec == inode->mtime;
    case EntryType::symlink: {
      std::string buf(static_cast<std::size_t>(st.st_size) + 1, '\0');
      ssize_t n = ::readlink(path.c_str(), buf.data(), buf.size());
      return n == st.st_size && buf.compare(0, static_cast<std::size_t>(n), e.target) == 0;
    }
    case EntryType::char_device:
    case EntryType::block_device: return st.st_rdev == makedev(e.major, e.minor);
    default: return true;  // directories and fifos: type, owner and mode (dir mtimes move with any new file)
  }
}

}  // namespace

std::vector<std::string> find_drift(const image::Manifest& m, const std::filesystem::path& root,
                                    const image::KeepList& protect) {
  std::vector<std::string> drifted;
  for (const Entry& e : m.entries) {
    if (e.path == "." || protect.keeps(e.path)) continue;
    if (!matches(m, e, (root / e.path).string())) drifted.push_back(e.path);
  }
  return drifted;
}

}  // namespace ingot::agent
