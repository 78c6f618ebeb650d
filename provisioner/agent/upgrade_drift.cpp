#include "provisioner/agent/upgrade_drift.h"

#include <sys/stat.h>

#include "imagebuilder/tree_drift.h"

namespace ingot::agent {

namespace {

// The path, or for a missing one its nearest existing parent, is on another filesystem.
bool on_other_filesystem(const std::filesystem::path& root, const std::string& rel, dev_t root_dev) {
  for (std::filesystem::path p = rel; !p.empty(); p = p.parent_path()) {
    struct stat st {};
    if (::lstat((root / p).c_str(), &st) == 0) return st.st_dev != root_dev;
  }
  return false;
}

}  // namespace

Result<std::vector<std::string>> find_upgrade_drift(const image::Manifest& m, const std::filesystem::path& root,
                                                    const image::KeepList& protect) {
  auto found = image::find_drift(m, root, image::DriftMode::quick, protect);
  if (!found) return fail(found.error());
  struct stat root_st {};
  if (::lstat(root.c_str(), &root_st) != 0) return fail("cannot stat " + root.string());
  std::vector<std::string> paths;
  for (const auto& d : *found) {
    if (d.kind == image::DriftKind::extra || d.path == ".") continue;
    // A live root has /proc, /sys, /dev, /run mounted over the image's directories: what is
    // on another filesystem is not the image's.
    if (on_other_filesystem(root, d.path, root_st.st_dev)) continue;
    if (d.kind == image::DriftKind::mtime) {
      const image::Entry* e = m.find(d.path);
      if (e && e->type == image::EntryType::dir) continue;
    }
    if (paths.empty() || paths.back() != d.path) paths.push_back(d.path);
  }
  return paths;
}

}  // namespace ingot::agent
