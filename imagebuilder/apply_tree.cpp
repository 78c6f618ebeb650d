#include "imagebuilder/apply_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <set>

#include "imagebuilder/delta_fetch.h"
#include "imagebuilder/delta_store.h"
#include "imagebuilder/keep_list.h"
#include "imagebuilder/signed_manifest.h"
#include "imagebuilder/write_pool.h"

namespace ingot::image {
namespace fs = std::filesystem;
namespace {

constexpr const char* kTempSuffix = ".ingot-new";
// Writers for file entries (hash what is there, fetch, write), when the source can fetch from
// several threads: enough to cover both cores while some wait on the network.
constexpr int kWriteThreads = 4;

Unexpected sys_fail(const std::string& what) { return fail(std::error_code(errno, std::system_category()), what + ": " + std::strerror(errno)); }

std::string full(const fs::path& target, const Entry& e) {
  return e.path == "." ? target.string() : (target / e.path).string();
}

std::optional<Digest> hash_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  Sha256 h;
  std::uint8_t buf[1 << 16];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) h.update(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(n)));
  ::close(fd);
  if (n != 0) return std::nullopt;
  return h.finish();
}

// What the regular file at path holds now, when it matters: it may already be e's content (same
// size), or be the base of a delta to it. From the believed manifest when size and mtime match
// there, else by hashing it. nullopt: not a regular file, or no use knowing.
std::optional<Digest> current_content(const std::string& path, const Entry& e, const Manifest* believed) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  auto size = static_cast<std::uint64_t>(st.st_size);
  if (believed)
    if (const Entry* b = believed->find(e.path); b && b->type == EntryType::file && b->size == size && b->mtime == st.st_mtim.tv_sec)
      return b->sha256;
  bool may_be_same = size == e.size;
  bool may_be_base = e.size >= kMinDeltaFileBytes && size > 0 && size <= kMaxDeltaInputBytes;
  if (!may_be_same && !may_be_base) return std::nullopt;
  return hash_file(path);
}

// Removes whatever is at path when it is not of the wanted kind (a dir where a file goes...).
Result<void> clear_if_not(const std::string& path, mode_t want_type) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) return ok();
  if ((st.st_mode & S_IFMT) == want_type) return ok();
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) return fail(ec, "remove " + path);
  return ok();
}

// base: what the file at path holds now, if known: a delta from it may replace the object.
Result<void> write_file(const std::string& path, const Entry& e, ImageSource& src, ApplyStats& stats,
                        std::optional<Digest> base) {
  std::string tmp = path + kTempSuffix;
  ::unlink(tmp.c_str());  // a leftover from an interrupted run
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return sys_fail("create " + tmp);
  std::uint64_t written = 0;
  ByteSink sink = [&](std::span<const std::uint8_t> data) -> Result<void> {
    const std::uint8_t* p = data.data();
    std::size_t left = data.size();
    while (left) {
      ssize_t n = ::write(fd, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return sys_fail("write " + tmp);
      }
      p += n;
      left -= static_cast<std::size_t>(n);
      written += static_cast<std::uint64_t>(n);
    }
    return ok();
  };
  Result<void> r;
  if (base) {
    FetchInfo info;
    r = fetch_via_delta(src, e, *base, path, sink, &info);
    if (info.via_delta) {
      ++stats.files_via_delta;
      stats.bytes_delta += info.delta_bytes;
    }
  } else {
    r = src.fetch(e, sink);
  }
  ::close(fd);
  if (!r) {
    ::unlink(tmp.c_str());  // a refused object is never left in place
    return fail(r.error().code, path + ": " + r.error().message());
  }
  if (auto c = clear_if_not(path, S_IFREG); !c) return c;
  if (::rename(tmp.c_str(), path.c_str()) != 0) return sys_fail("rename " + tmp);
  stats.bytes_written += written;
  ++stats.files_written;
  return ok();
}

Result<void> make_special(const std::string& path, const Entry& e, const fs::path& target) {
  std::string tmp = path + kTempSuffix;
  ::unlink(tmp.c_str());
  int rc = 0;
  mode_t type = 0;
  switch (e.type) {
    case EntryType::symlink:
      rc = ::symlink(e.target.c_str(), tmp.c_str());
      type = S_IFLNK;
      break;
    case EntryType::hardlink:
      rc = ::link((target / e.target).c_str(), tmp.c_str());
      type = S_IFREG;
      break;
    case EntryType::char_device:
      rc = ::mknod(tmp.c_str(), S_IFCHR | 0600, makedev(e.major, e.minor));
      type = S_IFCHR;
      break;
    case EntryType::block_device:
      rc = ::mknod(tmp.c_str(), S_IFBLK | 0600, makedev(e.major, e.minor));
      type = S_IFBLK;
      break;
    case EntryType::fifo:
      rc = ::mkfifo(tmp.c_str(), 0600);
      type = S_IFIFO;
      break;
    default:
      return fail("internal: not a special entry");
  }
  if (rc != 0) return sys_fail("create " + path);
  if (auto c = clear_if_not(path, type); !c) return c;
  if (::rename(tmp.c_str(), path.c_str()) != 0) return sys_fail("rename " + tmp);
  return ok();
}

Result<void> set_metadata(const std::string& path, const Entry& e) {
  if (e.type == EntryType::hardlink) return ok();  // the inode's metadata is on its first path
  if (::lchown(path.c_str(), e.uid, e.gid) != 0) return sys_fail("chown " + path);
  if (e.type != EntryType::symlink && ::chmod(path.c_str(), e.mode) != 0) return sys_fail("chmod " + path);
  for (auto& [name, value] : e.xattrs)
    if (::lsetxattr(path.c_str(), name.c_str(), value.data(), value.size(), 0) != 0)
      return sys_fail("set xattr " + name + " on " + path);
  timespec times[2] = {{e.mtime, 0}, {e.mtime, 0}};
  if (::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) return sys_fail("set mtime of " + path);
  return ok();
}

bool is_current(const std::string& path, const Entry& e) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) return false;
  switch (e.type) {
    case EntryType::dir: return S_ISDIR(st.st_mode);
    case EntryType::symlink: {
      if (!S_ISLNK(st.st_mode)) return false;
      std::error_code ec;
      return fs::read_symlink(path, ec).string() == e.target;
    }
    case EntryType::char_device: return S_ISCHR(st.st_mode) && st.st_rdev == makedev(e.major, e.minor);
    case EntryType::block_device: return S_ISBLK(st.st_mode) && st.st_rdev == makedev(e.major, e.minor);
    case EntryType::fifo: return S_ISFIFO(st.st_mode);
    default: return false;
  }
}

void add_counts(ApplyStats& to, const ApplyStats& from) {
  to.files_written += from.files_written;
  to.files_reused += from.files_reused;
  to.bytes_written += from.bytes_written;
  to.files_via_delta += from.files_via_delta;
  to.bytes_delta += from.bytes_delta;
}

using Note = std::function<void(char what, const std::string& path)>;

// One file entry: kept when its content is already there, else written whole or from a delta
// against what is there. Runs on a writer thread when the source allows (concurrent_fetch).
Result<void> sync_file(const std::string& path, const Entry& e, ImageSource& src, const ApplyOptions& opt,
                       ApplyStats& stats, const Note& note) {
  auto have = current_content(path, e, opt.believed);
  if (have && *have == e.sha256) {
    ++stats.files_reused;
    return opt.dry_run ? ok() : set_metadata(path, e);
  }
  std::error_code ec;
  note(fs::exists(path, ec) ? '~' : '+', e.path);
  if (opt.dry_run) {
    ++stats.files_written;
    stats.bytes_written += e.size;
    return ok();
  }
  if (auto r = write_file(path, e, src, stats, have); !r) return r;
  return set_metadata(path, e);
}

// The files the apply will surely fetch whole: those with no regular file at their path yet (a
// lay-down: nearly all). Named to the source ahead, which may fetch them in parallel and packed;
// files already there are left to the loop (same content, or a delta against them).
std::vector<const Entry*> files_to_fetch(const Manifest& m, const KeepList& keep, const fs::path& target) {
  std::vector<const Entry*> out;
  for (const Entry& e : m.entries) {
    if (e.type != EntryType::file) continue;
    struct stat st {};
    if (::lstat(full(target, e).c_str(), &st) == 0 && (S_ISREG(st.st_mode) || keep.keeps(e.path))) continue;
    out.push_back(&e);
  }
  return out;
}

}  // namespace

Result<ApplyStats> apply_manifest(const Manifest& m, ImageSource& src, const fs::path& target, const ApplyOptions& opt) {
  ApplyStats stats;
  KeepList keep(m.keep);
  std::error_code ec;
  if (!opt.dry_run) {
    fs::create_directories(target, ec);
    if (ec) return fail(ec, "create " + target.string());
  }
  std::mutex plan_mu;
  auto note = [&](char what, const std::string& path) {
    std::lock_guard lock(plan_mu);
    if (opt.plan) opt.plan->push_back(std::string(1, what) + " " + path);
  };
  if (!opt.dry_run) src.prepare(files_to_fetch(m, keep, target));
  std::mutex pooled_mu;  // pooled, and the plan lines (notes come from the writers too)
  ApplyStats pooled;
  WritePool pool(!opt.dry_run && src.concurrent_fetch() ? kWriteThreads : 0);
  for (const Entry& e : m.entries) {
    if (pool.failed()) break;
    ++stats.entries;
    if (opt.progress && stats.entries % 256 == 0) {
      ApplyStats now = stats;
      {
        std::lock_guard lock(pooled_mu);
        add_counts(now, pooled);
      }
      opt.progress(now);
    }
    std::string path = full(target, e);
    // Keep-list paths that already exist on the node are the node's, not the image's.
    if (e.path != "." && keep.keeps(e.path) && fs::symlink_status(path, ec).type() != fs::file_type::not_found) continue;
    if (e.type == EntryType::file) {
      // On a writer (hashing what is there, fetching, writing): nothing else touches this path.
      pool.submit([&, path, ep = &e]() -> Result<void> {
        ApplyStats mine;
        auto r = sync_file(path, *ep, src, opt, mine, note);
        std::lock_guard lock(pooled_mu);
        add_counts(pooled, mine);
        return r;
      });
      continue;
    } else if (e.type == EntryType::dir) {
      if (opt.dry_run) continue;
      if (auto r = clear_if_not(path, S_IFDIR); !r) return fail(r.error());
      if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) return sys_fail("mkdir " + path);
      continue;  // metadata after the children
    } else if (!is_current(path, e) || e.type == EntryType::hardlink) {
      note('+', e.path);
      if (opt.dry_run) continue;
      if (e.type == EntryType::hardlink)  // its first path may still be being written
        if (auto r = pool.drain(); !r) return fail(r.error());
      if (auto r = make_special(path, e, target); !r) return fail(r.error());
    }
    if (!opt.dry_run)
      if (auto r = set_metadata(path, e); !r) return fail(r.error());
  }
  if (auto r = pool.drain(); !r) return fail(r.error());
  add_counts(stats, pooled);

  if (opt.remove_extra) {
    std::set<std::string> wanted;
    for (auto& e : m.entries) wanted.insert(e.path);
    std::vector<fs::path> extra;
    // Filesystems mounted inside the target (the deploy agent mounts the ESP at boot/efi before
    // the image goes on) are not the image's to prune: a mount point is busy and cannot go.
    struct stat root_st {};
    if (::lstat(target.c_str(), &root_st) != 0) return sys_fail("stat " + target.string());
    for (auto it = fs::recursive_directory_iterator(target, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      struct stat st {};
      if (it->is_directory() && !it->is_symlink() && ::lstat(it->path().c_str(), &st) == 0 && st.st_dev != root_st.st_dev) {
        it.disable_recursion_pending();
        continue;
      }
      // Lexical, never fs::relative: that resolves symlinks, so an image's "bin/cat -> /bin/busybox"
      // would be named by where it points (on the host, even) and removed as an extra.
      std::string rel = it->path().lexically_relative(target).string();
      if (wanted.count(rel)) continue;
      if (!keep.keeps(rel)) extra.push_back(it->path());
      if (it->is_directory() && !it->is_symlink()) it.disable_recursion_pending();
    }
    for (auto& p : extra) {
      note('-', p.lexically_relative(target).string());
      ++stats.removed;
      if (!opt.dry_run) fs::remove_all(p, ec);
      if (ec) return fail(ec, "remove " + p.string());
    }
  }
  if (!opt.dry_run) {
    // Directories last, deepest first: creating their children changed their mtimes.
    for (auto it = m.entries.rbegin(); it != m.entries.rend(); ++it)
      if (it->type == EntryType::dir)
        if (auto r = set_metadata(full(target, *it), *it); !r) return fail(r.error());
    ::sync();
  }
  stats.bytes_fetched = src.bytes_fetched();
  if (opt.progress) opt.progress(stats);
  return stats;
}

Result<ApplyStats> apply_image(ImageSource& src, const std::string& ref, const fs::path& target,
                               const ApplyOptions& opt, std::string* resolved_out) {
  auto m = fetch_signed(src, ref, "");
  if (!m) return fail(m.error());
  if (resolved_out) *resolved_out = m->ref;
  return apply_manifest(m->manifest, src, target, opt);
}

}  // namespace ingot::image
