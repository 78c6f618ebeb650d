#include "provisioner/agent/upgrade_switch.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <map>
#include <set>

#include "common/log.h"
#include "imagebuilder/file_io.h"

namespace ingot::agent {
namespace fs = std::filesystem;
using image::Entry;
using image::EntryType;

namespace {

Result<void> sys_error(const std::string& what, const std::string& path) { return image::errno_error(what, path); }

class Switcher {
 public:
  Switcher(const SwitchInput& in, const UpgradeArea& area) : in_(in), area_(area) {
    drifted_.insert(in.drifted.begin(), in.drifted.end());
    for (auto* list : {&in.plan->added, &in.plan->changed})
      for (auto& p : *list)
        if (const Entry* e = in.to->find(p); e && e->type == EntryType::file) ++uses_[e->sha256];
    // Content a rollback may need stays staged: those paths get copies.
    for (auto& e : in.plan->rollback_objects) ++uses_[e.sha256];
  }

  Result<void> run() {
    for (auto it = in_.plan->removed.rbegin(); it != in_.plan->removed.rend(); ++it)
      if (auto r = remove(*it); !r) return r;
    std::set<std::string> replace(in_.plan->added.begin(), in_.plan->added.end());
    replace.insert(in_.plan->changed.begin(), in_.plan->changed.end());
    std::set<std::string> meta(in_.plan->meta.begin(), in_.plan->meta.end());
    for (const Entry& e : in_.to->entries) {
      if (replace.count(e.path)) {
        if (auto r = place(e); !r) return r;
      } else if (meta.count(e.path) && e.type != EntryType::dir) {
        if (auto r = set_entry_metadata(path(e.path), e); !r) return r;
      }
    }
    return directories(replace, meta);
  }

 private:
  std::string path(const std::string& rel) const { return (in_.root / rel).string(); }

  // Keeps n's content of path in the undo area (one hard link per distinct content).
  Result<void> keep_old(const std::string& rel) {
    if (drifted_.count(rel)) return ok();  // not n's content: rollback uses the staged n object
    const Entry* old = in_.from->find(rel);
    const Entry* inode = old ? in_.from->resolve(*old) : nullptr;
    if (!inode || inode->type != EntryType::file) return ok();
    struct stat st {};
    if (::lstat(path(rel).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return ok();
    std::string undo = (area_.undo() / inode->sha256.hex()).string();
    if (::link(path(rel).c_str(), undo.c_str()) != 0 && errno != EEXIST) return sys_error("cannot keep the old content of", path(rel));
    return ok();
  }

  Result<void> remove(const std::string& rel) {
    std::string p = path(rel);
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) return ok();
    if (auto r = keep_old(rel); !r) return r;
    if (S_ISDIR(st.st_mode)) {
      // What is left inside is the node's (logs, caches), not the image's: keep it.
      if (::rmdir(p.c_str()) == 0) return ok();
      if (errno != ENOTEMPTY && errno != EEXIST) return sys_error("cannot remove", p);
      INGOT_LOG(warn, "upgrade") << rel << ": kept, it holds files that are not the image's";
      return ok();
    }
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) return sys_error("cannot remove", p);
    return ok();
  }

  // Makes room for e at p: whatever is there and is not of e's kind goes (its old content kept).
  Result<void> clear_for(const std::string& p, EntryType type) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) return ok();
    bool is_dir = S_ISDIR(st.st_mode);
    if (is_dir == (type == EntryType::dir)) return ok();
    std::error_code ec;
    if (is_dir) fs::remove_all(p, ec);
    else fs::remove(p, ec);
    if (ec) return fail(ec, "cannot remove " + p);
    return ok();
  }

  Result<void> new_file(const Entry& e, const std::string& tmp) {
    fs::path staged = area_.objects() / e.sha256.hex();
    // The last path with this content takes the staged inode; the others get copies, so two
    // paths with the same content but other modes or owners never share an inode.
    if (--uses_[e.sha256] == 0) {
      if (::rename(staged.c_str(), tmp.c_str()) != 0) return sys_error("cannot move the staged object to", tmp);
      return ok();
    }
    std::error_code ec;
    fs::copy_file(staged, tmp, fs::copy_options::overwrite_existing, ec);
    if (ec) return fail(ec, "cannot copy the staged object to " + tmp);
    return ok();
  }

  Result<void> place(const Entry& e) {
    std::string p = path(e.path);
    if (auto r = keep_old(e.path); !r) return r;
    if (e.type == EntryType::dir) {
      if (auto r = clear_for(p, EntryType::dir); !r) return r;
      if (::mkdir(p.c_str(), 0700) != 0 && errno != EEXIST) return sys_error("cannot create", p);
      return ok();  // metadata with the other directories, after their children
    }
    std::string tmp = p + kSwitchTempSuffix;
    ::unlink(tmp.c_str());
    int rc = 0;
    switch (e.type) {
      case EntryType::file:
        if (auto r = new_file(e, tmp); !r) return r;
        break;
      case EntryType::symlink: rc = ::symlink(e.target.c_str(), tmp.c_str()); break;
      case EntryType::hardlink: rc = ::link(path(e.target).c_str(), tmp.c_str()); break;
      case EntryType::char_device: rc = ::mknod(tmp.c_str(), S_IFCHR | 0600, makedev(e.major, e.minor)); break;
      case EntryType::block_device: rc = ::mknod(tmp.c_str(), S_IFBLK | 0600, makedev(e.major, e.minor)); break;
      case EntryType::fifo: rc = ::mkfifo(tmp.c_str(), 0600); break;
      default: return fail("internal: unexpected entry type");
    }
    if (rc != 0) return sys_error("cannot create", tmp);
    if (auto r = set_entry_metadata(tmp, e); !r) return r;
    if (auto r = clear_for(p, e.type); !r) return r;
    if (::rename(tmp.c_str(), p.c_str()) != 0) return sys_error("cannot rename into place", p);
    ::unlink(tmp.c_str());  // rename of two links to one inode is a no-op that leaves tmp
    return ok();
  }

  // Every directory that was created, changed, or had a child added, replaced or removed.
  Result<void> directories(const std::set<std::string>& replace, const std::set<std::string>& meta) {
    std::set<std::string> dirs;
    auto parents = [&](const std::string& rel) {
      for (fs::path p = fs::path(rel).parent_path(); !p.empty(); p = p.parent_path()) dirs.insert(p.string());
      dirs.insert(".");
    };
    for (auto& p : replace) parents(p);
    for (auto& p : in_.plan->removed) parents(p);
    for (auto& p : replace) dirs.insert(p);
    for (auto& p : meta) dirs.insert(p);
    for (auto it = in_.to->entries.rbegin(); it != in_.to->entries.rend(); ++it) {
      if (it->type != EntryType::dir || !dirs.count(it->path)) continue;
      if (auto r = set_entry_metadata(it->path == "." ? in_.root.string() : path(it->path), *it); !r) return r;
    }
    return ok();
  }

  const SwitchInput& in_;
  const UpgradeArea& area_;
  std::set<std::string> drifted_;
  std::map<image::Digest, int> uses_;
};

}  // namespace

Result<void> set_entry_metadata(const std::string& path, const Entry& e) {
  if (e.type == EntryType::hardlink) return ok();  // the inode's metadata is on its first path
  if (::lchown(path.c_str(), e.uid, e.gid) != 0) return sys_error("cannot chown", path);
  if (e.type != EntryType::symlink && ::chmod(path.c_str(), e.mode) != 0) return sys_error("cannot chmod", path);
  for (auto& [name, value] : e.xattrs)
    if (::lsetxattr(path.c_str(), name.c_str(), value.data(), value.size(), 0) != 0)
      return sys_error("cannot set xattr " + name + " on", path);
  timespec times[2] = {{e.mtime, 0}, {e.mtime, 0}};
  if (::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) return sys_error("cannot set the mtime of", path);
  return ok();
}

Result<void> switch_tree(const SwitchInput& in, const UpgradeArea& area) {
  std::error_code ec;
  fs::create_directories(area.undo(), ec);
  if (ec) return fail(ec, "create " + area.undo().string());
  return Switcher(in, area).run();
}

}  // namespace ingot::agent
