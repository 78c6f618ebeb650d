#include "imagebuilder/upgrade_plan.h"

#include <set>



namespace ingot::image {

namespace {

bool same_metadata(const Entry& a, const Entry& b) {
  return a.mode == b.mode && a.uid == b.uid && a.gid == b.gid && a.mtime == b.mtime && a.xattrs == b.xattrs;
}

// True when the path needs a new inode: what it is or what it holds changed.
bool needs_new_inode(const Entry& a, const Entry& b, const std::set<std::string>& replaced) {
  if (a.type != b.type) return true;
  switch (b.type) {
    case EntryType::file: return a.sha256 != b.sha256 || a.size != b.size;
    case EntryType::symlink: return a.target != b.target;
    // The group's first path got a new inode: this path must be linked to it again.
    case EntryType::hardlink: return a.target != b.target || replaced.count(b.target) > 0;
    case EntryType::char_device:
    case EntryType::block_device: return a.major != b.major || a.minor != b.minor;
    default: return false;
  }
}

}  // namespace

KeepList protected_paths(const Manifest& from, const Manifest& to, const std::vector<std::string>& node_config) {
  std::set<std::string> patterns(from.keep.begin(), from.keep.end());
  patterns.insert(to.keep.begin(), to.keep.end());
  patterns.insert(kNodeStateDir);
  for (auto& p : node_config)
    if (auto n = normalise_keep_pattern(p)) patterns.insert(*n);
  return KeepList(std::vector<std::string>(patterns.begin(), patterns.end()));
}

UpgradePlan make_plan(const Manifest& from, const Manifest& to, const std::vector<std::string>& drifted,
                      const KeepList& protect, const UpgradePolicy& policy) {
  UpgradePlan plan;
  std::set<std::string> drift(drifted.begin(), drifted.end());
  std::set<std::string> replaced;
  std::set<Digest> staged;
  auto stage = [&](const Entry& e) {
    if (e.type == EntryType::file && staged.insert(e.sha256).second) {
      plan.objects.push_back(e);
      plan.bytes += e.size;
    }
  };
  auto touches = [&](const std::string& path, bool dir_meta_only) {
    if (!dir_meta_only && policy.needs_reboot(path)) plan.reboot = true;
  };
  for (const Entry& e : to.entries) {
    if (e.path == "." || protect.keeps(e.path)) continue;
    const Entry* old = from.find(e.path);
    if (!old) {
      plan.added.push_back(e.path);
      stage(e);
      touches(e.path, false);
      continue;
    }
    bool drifted_here = drift.count(e.path) > 0;
    if (drifted_here) plan.drifted.push_back(e.path);
    if (needs_new_inode(*old, e, replaced) || (drifted_here && e.type != EntryType::dir)) {
      plan.changed.push_back(e.path);
      replaced.insert(e.path);
      stage(e);
      touches(e.path, false);
    } else if (e.type != EntryType::hardlink && (!same_metadata(*old, e) || drifted_here)) {
      plan.meta.push_back(e.path);
      touches(e.path, e.type == EntryType::dir);
    }
  }
  for (const Entry& e : from.entries) {
    if (e.path == "." || protect.keeps(e.path) || to.find(e.path)) continue;
    plan.removed.push_back(e.path);
    touches(e.path, false);
  }
  // Rolling back an overwritten drifted file needs n's content, which the node no longer has.
  std::set<Digest> rollback;
  for (auto& path : plan.drifted) {
    const Entry* old = from.find(path);
    const Entry* inode = old ? from.resolve(*old) : nullptr;
    if (inode && inode->type == EntryType::file && rollback.insert(inode->sha256).second)
      plan.rollback_objects.push_back(*inode);
  }
  for (auto& path : drift)
    if (!to.find(path) && from.find(path) && !protect.keeps(path)) {
      const Entry* inode = from.resolve(*from.find(path));
      if (inode && inode->type == EntryType::file && rollback.insert(inode->sha256).second)
        plan.rollback_objects.push_back(*inode);
    }
  return plan;
}

}  // namespace ingot::image
