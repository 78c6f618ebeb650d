#include "provisioner/agent/upgrade_drift.h"

#include "imagebuilder/tree_drift.h"

namespace ingot::agent {

Result<std::vector<std::string>> find_upgrade_drift(const image::Manifest& m, const std::filesystem::path& root,
                                                    const image::KeepList& protect) {
  auto found = image::find_drift(m, root, image::DriftMode::quick, protect);
  if (!found) return fail(found.error());
  std::vector<std::string> paths;
  for (const auto& d : *found) {
    if (d.kind == image::DriftKind::extra || d.path == ".") continue;
    if (d.kind == image::DriftKind::mtime) {
      const image::Entry* e = m.find(d.path);
      if (e && e->type == image::EntryType::dir) continue;
    }
    if (paths.empty() || paths.back() != d.path) paths.push_back(d.path);
  }
  return paths;
}

}  // namespace ingot::agent
