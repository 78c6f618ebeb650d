#include "imagebuilder/manifest_diff.h"

namespace ingot::image {
namespace {

std::vector<std::string> what_changed(const Entry& a, const Entry& b) {
  std::vector<std::string> w;
  if (a.type != b.type) return {"type"};
  if (a.type == EntryType::file && (a.sha256 != b.sha256 || a.size != b.size)) w.push_back("content");
  if (a.target != b.target) w.push_back("target");
  if (a.mode != b.mode) w.push_back("mode");
  if (a.uid != b.uid || a.gid != b.gid) w.push_back("owner");
  if (a.mtime != b.mtime) w.push_back("mtime");
  if (a.major != b.major || a.minor != b.minor) w.push_back("device");
  if (a.xattrs != b.xattrs) w.push_back("xattrs");
  return w;
}

}  // namespace

ManifestDiff diff_manifests(const Manifest& a, const Manifest& b) {
  ManifestDiff d;
  std::size_t i = 0, j = 0;
  while (i < a.entries.size() || j < b.entries.size()) {
    bool take_a = j == b.entries.size() || (i < a.entries.size() && path_less(a.entries[i].path, b.entries[j].path));
    bool take_b = i == a.entries.size() || (j < b.entries.size() && path_less(b.entries[j].path, a.entries[i].path));
    if (take_a) {
      d.removed.push_back(a.entries[i].path);
      if (a.entries[i].type == EntryType::file) d.removed_bytes += a.entries[i].size;
      ++i;
    } else if (take_b) {
      d.added.push_back(b.entries[j].path);
      if (b.entries[j].type == EntryType::file) d.added_bytes += b.entries[j].size;
      ++j;
    } else {
      auto w = what_changed(a.entries[i], b.entries[j]);
      if (!w.empty()) d.changed.push_back({a.entries[i].path, std::move(w)});
      ++i;
      ++j;
    }
  }
  return d;
}

}  // namespace ingot::image
