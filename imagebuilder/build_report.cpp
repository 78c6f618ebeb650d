#include "imagebuilder/build_report.h"

namespace ingot::image {
namespace {

nlohmann::json sample(const std::vector<std::string>& paths) {
  auto j = nlohmann::json::array();
  for (std::size_t i = 0; i < paths.size() && i < kReportPathSample; ++i) j.push_back(paths[i]);
  return j;
}

}  // namespace

nlohmann::json build_report_json(const PublishResult& r, double seconds, const nlohmann::json& recipe_info) {
  using nlohmann::json;
  std::size_t files = 0, dirs = 0, links = 0;
  for (auto& e : r.manifest.entries) {
    files += e.type == EntryType::file || e.type == EntryType::hardlink;
    dirs += e.type == EntryType::dir;
    links += e.type == EntryType::symlink;
  }
  std::vector<std::string> changed;
  for (auto& c : r.diff.changed) changed.push_back(c.path);
  json pkgs = json::object();
  for (auto& [n, v] : r.packages) pkgs[n] = v;
  json pkg_changed = json::object();
  for (auto& [n, vs] : r.package_diff.changed) pkg_changed[n] = {vs.first, vs.second};
  json skipped = r.stats.skipped;
  return json{
      {"image", r.manifest.ref().str()},
      {"manifest_sha256", r.manifest_sha256},
      {"created", r.manifest.created},
      {"seconds", seconds},
      {"recipe", recipe_info},
      {"entries", r.manifest.entries.size()},
      {"files", files},
      {"directories", dirs},
      {"symlinks", links},
      {"content_bytes", r.stats.bytes},
      {"objects_added", r.stats.objects_added},
      {"stored_bytes_added", r.stats.stored_bytes},
      {"skipped", skipped},
      {"packages", pkgs},
      {"previous", r.previous ? json(r.previous->str()) : json(nullptr)},
      {"changes",
       {{"added", r.diff.added.size()},
        {"removed", r.diff.removed.size()},
        {"changed", r.diff.changed.size()},
        {"added_bytes", r.diff.added_bytes},
        {"removed_bytes", r.diff.removed_bytes},
        {"added_paths", sample(r.diff.added)},
        {"removed_paths", sample(r.diff.removed)},
        {"changed_paths", sample(changed)},
        {"packages_added", r.package_diff.added},
        {"packages_removed", r.package_diff.removed},
        {"packages_changed", pkg_changed}}},
  };
}

}  // namespace ingot::image
