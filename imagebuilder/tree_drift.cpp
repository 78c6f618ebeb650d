#include "imagebuilder/tree_drift.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

#include "imagebuilder/file_io.h"
#include "imagebuilder/digest.h"
#include "imagebuilder/tree_scan.h"

namespace ingot::image {
namespace fs = std::filesystem;
namespace {

// Hashing threads in full mode: past a handful, the disk (or the page cache's memory bandwidth)
// is the limit, not the CPU.
constexpr unsigned kMaxHashThreads = 8;
// Read size when hashing: big enough to amortise syscalls, small enough to stay in cache.
constexpr std::size_t kHashBuffer = 256 * 1024;

mode_t type_bits(EntryType t) {
  switch (t) {
    case EntryType::file:
    case EntryType::hardlink: return S_IFREG;
    case EntryType::dir: return S_IFDIR;
    case EntryType::symlink: return S_IFLNK;
    case EntryType::char_device: return S_IFCHR;
    case EntryType::block_device: return S_IFBLK;
    case EntryType::fifo: return S_IFIFO;
  }
  return 0;
}

std::string type_name(mode_t m) {
  switch (m & S_IFMT) {
    case S_IFREG: return "file";
    case S_IFDIR: return "dir";
    case S_IFLNK: return "symlink";
    case S_IFCHR: return "char";
    case S_IFBLK: return "block";
    case S_IFIFO: return "fifo";
    case S_IFSOCK: return "socket";
  }
  return "unknown";
}

std::string octal(std::uint32_t m) {
  char b[16];
  std::snprintf(b, sizeof b, "%04o", m);
  return b;
}

template <typename A, typename B>
std::string differ(const A& disk, const B& image) {
  return disk + " on disk, " + image + " in the image";
}

class Checker {
 public:
  Checker(const Manifest& m, const fs::path& root, DriftMode mode, KeepList keep)
      : m_(m), root_(root), mode_(mode), keep_(std::move(keep)) {}

  Result<std::vector<Drift>> run() {
    struct stat st {};
    if (::lstat(root_.c_str(), &st) != 0) return errno_error("cannot read the target", root_);
    if (!S_ISDIR(st.st_mode)) return fail(root_.string() + " is not a directory");
    root_dev_ = st.st_dev;
    for (const Entry& e : m_.entries) check(e);
    hash_all();
    std::stable_sort(out_.begin(), out_.end(), [](const Drift& a, const Drift& b) { return path_less(a.path, b.path); });
    return std::move(out_);
  }

 private:
  std::string full(const std::string& rel) const { return rel == "." ? root_.string() : (root_ / rel).string(); }
  void add(const std::string& path, DriftKind k, std::string detail = {}) { out_.push_back({path, k, std::move(detail)}); }

  void check(const Entry& e) {
    if (e.path != "." && keep_.keeps(e.path)) return;
    std::string path = full(e.path);
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
      add(e.path, DriftKind::missing, errno == ENOENT ? "" : std::strerror(errno));
      return;
    }
    if ((st.st_mode & S_IFMT) != type_bits(e.type)) {
      add(e.path, DriftKind::type, differ(type_name(st.st_mode), std::string(to_string(e.type))));
      return;
    }
    if (e.type == EntryType::hardlink) {
      struct stat first {};
      if (::lstat(full(e.target).c_str(), &first) != 0 || first.st_ino != st.st_ino || first.st_dev != st.st_dev)
        add(e.path, DriftKind::hardlink, "not linked to " + e.target);
      return;  // the inode's metadata is checked on its first path
    }
    if (e.type != EntryType::symlink && (st.st_mode & 07777) != e.mode)
      add(e.path, DriftKind::mode, differ(octal(st.st_mode & 07777), octal(e.mode)));
    if (st.st_uid != e.uid || st.st_gid != e.gid)
      add(e.path, DriftKind::owner,
          differ(std::to_string(st.st_uid) + ":" + std::to_string(st.st_gid), std::to_string(e.uid) + ":" + std::to_string(e.gid)));
    bool content_may_match = true;
    if (e.type == EntryType::symlink) {
      std::error_code ec;
      auto target = fs::read_symlink(path, ec).string();
      if (target != e.target) add(e.path, DriftKind::target, differ("-> " + target, "-> " + e.target));
    } else if ((e.type == EntryType::char_device || e.type == EntryType::block_device) &&
               st.st_rdev != makedev(e.major, e.minor)) {
      add(e.path, DriftKind::device,
          differ(std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev)),
                 std::to_string(e.major) + ":" + std::to_string(e.minor)));
    } else if (e.type == EntryType::file && static_cast<std::uint64_t>(st.st_size) != e.size) {
      add(e.path, DriftKind::size, differ(std::to_string(st.st_size), std::to_string(e.size)));
      content_may_match = false;
    }
    if (st.st_mtim.tv_sec != e.mtime)
      add(e.path, DriftKind::mtime, differ(std::to_string(st.st_mtim.tv_sec), std::to_string(e.mtime)));
    if (mode_ == DriftMode::full) {
      if (e.type == EntryType::file && content_may_match) to_hash_.push_back({&e, path});
      check_xattrs(e, path);
    }
    if (e.type == EntryType::dir && st.st_dev == root_dev_) find_extras(e, path);
  }

  static std::optional<Drift> check_content(const Entry& e, const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) return Drift{e.path, DriftKind::content, std::string("cannot read: ") + std::strerror(errno)};
    // One buffer per hashing thread, reused: a fresh 1 MiB buffer per file (hash_fd) costs a
    // mmap, page faults and a munmap for each of thousands of small files.
    thread_local std::vector<std::uint8_t> buf(kHashBuffer);
    Sha256 h;
    ssize_t n;
    while ((n = ::read(fd.get(), buf.data(), buf.size())) > 0 || (n < 0 && errno == EINTR))
      if (n > 0) h.update(std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(n)));
    if (n < 0) return Drift{e.path, DriftKind::content, std::string("cannot read: ") + std::strerror(errno)};
    auto got = h.finish();
    if (got != e.sha256) return Drift{e.path, DriftKind::content, differ(got.hex(), e.sha256.hex())};
    return std::nullopt;
  }

  // Full mode: hashing is nearly all of the time, and files are independent: one thread per core.
  void hash_all() {
    std::atomic<std::size_t> next{0};
    std::mutex mu;
    auto work = [&] {
      std::vector<Drift> found;
      for (std::size_t i; (i = next++) < to_hash_.size();)
        if (auto d = check_content(*to_hash_[i].first, to_hash_[i].second)) found.push_back(std::move(*d));
      std::lock_guard lock(mu);
      out_.insert(out_.end(), found.begin(), found.end());
    };
    std::vector<std::thread> threads;
    unsigned n = std::min<unsigned>(std::max(1u, std::thread::hardware_concurrency()), kMaxHashThreads);
    for (unsigned t = 1; t < n && t < to_hash_.size(); ++t) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
  }

  void check_xattrs(const Entry& e, const std::string& path) {
    Entry disk;
    if (auto r = read_xattrs(path, disk); !r) {
      add(e.path, DriftKind::xattrs, r.error().message());
      return;
    }
    if (disk.xattrs == e.xattrs) return;
    std::string names;
    for (auto& [n, v] : disk.xattrs) names += (names.empty() ? "" : ",") + n;
    std::string want;
    for (auto& [n, v] : e.xattrs) want += (want.empty() ? "" : ",") + n;
    add(e.path, DriftKind::xattrs, differ("{" + names + "}", "{" + want + "}"));
  }

  // Names in a directory that the manifest does not have. An extra directory is reported once,
  // not with everything under it.
  void find_extras(const Entry& dir, const std::string& path) {
    DIR* d = ::opendir(path.c_str());
    if (!d) return;  // reported through the directory's own mode/owner if that is the cause
    while (dirent* de = ::readdir(d)) {
      std::string_view name = de->d_name;
      if (name == "." || name == "..") continue;
      std::string rel = dir.path == "." ? std::string(name) : dir.path + "/" + std::string(name);
      if (m_.find(rel) || keep_.keeps(rel)) continue;
      add(rel, DriftKind::extra);
    }
    ::closedir(d);
  }

  const Manifest& m_;
  fs::path root_;
  DriftMode mode_;
  KeepList keep_;
  dev_t root_dev_ = 0;
  std::vector<Drift> out_;
  std::vector<std::pair<const Entry*, std::string>> to_hash_;
};

}  // namespace

std::string_view to_string(DriftKind k) {
  switch (k) {
    case DriftKind::missing: return "missing";
    case DriftKind::extra: return "extra";
    case DriftKind::type: return "type";
    case DriftKind::mode: return "mode";
    case DriftKind::owner: return "owner";
    case DriftKind::target: return "target";
    case DriftKind::device: return "device";
    case DriftKind::hardlink: return "hardlink";
    case DriftKind::size: return "size";
    case DriftKind::mtime: return "mtime";
    case DriftKind::content: return "content";
    case DriftKind::xattrs: return "xattrs";
  }
  return "?";
}

Result<std::vector<Drift>> find_drift(const Manifest& m, const fs::path& root, DriftMode mode, const KeepList& extra_keep) {
  auto patterns = m.keep;
  patterns.insert(patterns.end(), extra_keep.patterns().begin(), extra_keep.patterns().end());
  return Checker(m, root, mode, KeepList(std::move(patterns))).run();
}

}  // namespace ingot::image
