#include "imagebuilder/tree_scan.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>

#include "imagebuilder/file_io.h"
#include "imagebuilder/manifest_validate.h"
#include "imagebuilder/object_store.h"

namespace ingot::image {
namespace {

namespace fs = std::filesystem;

struct Scanned {
  Entry entry;
  dev_t dev = 0;
  ino_t ino = 0;
  nlink_t nlink = 1;
};


class Walker {
 public:
  Walker(const fs::path& root, const ScanOptions& o, ScanStats& stats) : root_(root), opt_(o), stats_(stats) {}

  Result<void> walk(const std::string& rel, dev_t root_dev) {
    fs::path full = rel == "." ? root_ : root_ / rel;
    struct stat st {};
    if (::lstat(full.c_str(), &st) != 0) return errno_error("cannot stat", full);
    if (S_ISSOCK(st.st_mode)) {
      stats_.skipped.push_back(rel + " (socket)");
      return ok();
    }
    Scanned s;
    s.dev = st.st_dev;
    s.ino = st.st_ino;
    s.nlink = st.st_nlink;
    Entry& e = s.entry;
    e.path = rel;
    e.mode = st.st_mode & 07777;
    e.uid = st.st_uid;
    e.gid = st.st_gid;
    e.mtime = std::max<std::int64_t>(0, st.st_mtim.tv_sec);
    if (opt_.clamp_mtime && e.mtime > *opt_.clamp_mtime) e.mtime = *opt_.clamp_mtime;
    if (S_ISREG(st.st_mode)) {
      e.type = EntryType::file;
      e.size = static_cast<std::uint64_t>(st.st_size);
    } else if (S_ISDIR(st.st_mode)) {
      e.type = EntryType::dir;
    } else if (S_ISLNK(st.st_mode)) {
      e.type = EntryType::symlink;
      e.mode = 0777;
      std::string target(kMaxPathLength + 1, '\0');
      ssize_t n = ::readlink(full.c_str(), target.data(), target.size());
      if (n < 0) return errno_error("cannot read symlink", full);
      if (static_cast<std::size_t>(n) > kMaxPathLength) return fail(full.string() + ": symlink target is too long");
      target.resize(static_cast<std::size_t>(n));
      e.target = std::move(target);
    } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
      e.type = S_ISCHR(st.st_mode) ? EntryType::char_device : EntryType::block_device;
      e.major = ::major(st.st_rdev);
      e.minor = ::minor(st.st_rdev);
    } else if (S_ISFIFO(st.st_mode)) {
      e.type = EntryType::fifo;
    } else {
      return fail(full.string() + ": unsupported file type");
    }
    if (auto r = read_xattrs(full, e); !r) return r;
    bool descend = e.type == EntryType::dir;
    if (descend && opt_.one_file_system && rel != "." && st.st_dev != root_dev) {
      stats_.skipped.push_back(rel + "/* (mount point)");
      descend = false;
    }
    out_.push_back(std::move(s));
    if (!descend) return ok();
    return walk_children(rel, full, root_dev);
  }

  std::vector<Scanned>& out() { return out_; }

 private:
  Result<void> walk_children(const std::string& rel, const fs::path& full, dev_t root_dev) {
    std::vector<std::string> names;
    {
      DIR* d = ::opendir(full.c_str());
      if (!d) return errno_error("cannot open directory", full);
      while (auto* de = ::readdir(d)) {
        std::string_view n = de->d_name;
        if (n != "." && n != "..") names.emplace_back(n);
      }
      ::closedir(d);
    }
    for (auto& n : names)
      if (auto r = walk(rel == "." ? n : rel + "/" + n, root_dev); !r) return r;
    return ok();
  }

  const fs::path& root_;
  const ScanOptions& opt_;
  ScanStats& stats_;
  std::vector<Scanned> out_;
};

// The first path of each inode group (in manifest order) keeps the content; the others
// become hardlinks to it, carrying nothing of their own.
void group_hardlinks(std::vector<Scanned>& all) {
  std::map<std::pair<dev_t, ino_t>, std::string> first;
  for (auto& s : all) {
    if (s.entry.type != EntryType::file || s.nlink < 2) continue;
    auto [it, inserted] = first.emplace(std::make_pair(s.dev, s.ino), s.entry.path);
    if (inserted) continue;
    Entry link;
    link.path = std::move(s.entry.path);
    link.type = EntryType::hardlink;
    link.target = it->second;
    s.entry = std::move(link);
  }
}

Result<void> store_contents(const fs::path& root, const ScanOptions& opt, std::vector<Scanned>& all, ScanStats& stats) {
  std::vector<Entry*> files;
  for (auto& s : all)
    if (s.entry.type == EntryType::file) files.push_back(&s.entry);
  std::atomic<std::size_t> next{0}, done{0};
  std::atomic<std::uint64_t> bytes{0};
  std::mutex mu;
  std::optional<Error> first_error;
  auto worker = [&] {
    for (std::size_t i; (i = next++) < files.size();) {
      {
        std::lock_guard lock(mu);
        if (first_error) return;
      }
      Entry& e = *files[i];
      auto path = root / e.path;
      UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
      Result<PutResult> put = fd ? Result<PutResult>(PutResult{}) : Result<PutResult>(errno_error("cannot open", path));
      if (put) put = opt.store ? opt.store->put_fd(fd.get(), path) : hash_fd(fd.get(), path);
      std::lock_guard lock(mu);
      if (!put) {
        if (!first_error) first_error = put.error();
        return;
      }
      e.sha256 = put->digest;
      e.size = put->size;
      stats.objects_added += put->added;
      stats.stored_bytes += put->stored_size;
      bytes += put->size;
      ++done;
      if (opt.progress) opt.progress(done, files.size(), bytes);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < std::max(1u, opt.threads); ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (first_error) return fail(*first_error);
  stats.files = files.size();
  stats.bytes = bytes;
  return ok();
}

}  // namespace

Result<void> read_xattrs(const std::filesystem::path& path, Entry& e) {
  ssize_t len = ::llistxattr(path.c_str(), nullptr, 0);
  if (len < 0 && (errno == ENOTSUP || errno == ENODATA)) return ok();
  if (len < 0) return errno_error("cannot list xattrs of", path);
  std::string names(static_cast<std::size_t>(len), '\0');
  len = ::llistxattr(path.c_str(), names.data(), names.size());
  if (len < 0) return errno_error("cannot list xattrs of", path);
  names.resize(static_cast<std::size_t>(len));
  for (std::size_t pos = 0; pos < names.size();) {
    std::string name = names.c_str() + pos;
    pos += name.size() + 1;
    std::string value(kMaxXattrValueSize, '\0');
    ssize_t n = ::lgetxattr(path.c_str(), name.c_str(), value.data(), value.size());
    if (n < 0 && errno == ENODATA) continue;  // removed since it was listed
    if (n < 0) return errno_error("cannot read xattr " + name + " of", path);
    value.resize(static_cast<std::size_t>(n));
    e.xattrs.emplace(std::move(name), std::move(value));
  }
  return ok();
}

Result<ScanStats> scan_tree(const fs::path& root, const ScanOptions& options, Manifest& m) {
  struct stat st {};
  if (::lstat(root.c_str(), &st) != 0) return errno_error("cannot stat tree", root);
  if (!S_ISDIR(st.st_mode)) return fail(root.string() + " is not a directory");
  ScanStats stats;
  Walker w(root, options, stats);
  if (auto r = w.walk(".", st.st_dev); !r) return fail(r.error());
  auto& all = w.out();
  std::sort(all.begin(), all.end(), [](const Scanned& a, const Scanned& b) { return path_less(a.entry.path, b.entry.path); });
  group_hardlinks(all);
  if (auto r = store_contents(root, options, all, stats); !r) return fail(r.error());
  m.entries.clear();
  m.entries.reserve(all.size());
  for (auto& s : all) m.entries.push_back(std::move(s.entry));
  return stats;
}

Result<std::optional<std::int64_t>> source_date_epoch() {
  const char* v = std::getenv("SOURCE_DATE_EPOCH");
  if (!v || !*v) return std::optional<std::int64_t>();
  std::int64_t n = 0;
  std::string_view s(v);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || p != s.data() + s.size() || n < 0 || n > kMaxMtime)
    return fail("SOURCE_DATE_EPOCH='" + std::string(s.substr(0, 32)) + "' is not a non-negative integer of seconds");
  return std::optional<std::int64_t>(n);
}

}  // namespace ingot::image
