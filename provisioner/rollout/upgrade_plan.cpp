#include "provisioner/rollout/upgrade_plan.h"

#include <set>

#include "imagebuilder/keep_list.h"
#include "imagebuilder/manifest_diff.h"

namespace ingot::rollout {
namespace {
using image::Entry;
using image::EntryType;

bool agent_state(std::string_view path) {
  return path == kAgentStateDir || (path.starts_with(kAgentStateDir) && path.size() > kAgentStateDir.size() &&
                                    path[kAgentStateDir.size()] == '/');
}

bool under_reboot_path(std::string_view rel, const std::vector<std::string>& reboot_paths) {
  std::string abs = "/" + std::string(rel);
  for (auto& p : reboot_paths)
    if (!p.empty() && abs.starts_with(p)) return true;
  return false;
}

}  // namespace

std::vector<std::string> reboot_paths_from(std::string_view upgrade_json) {
  if (upgrade_json.empty()) return kDefaultRebootPaths;
  auto j = nlohmann::json::parse(upgrade_json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("reboot_paths") || !j["reboot_paths"].is_array())
    return kDefaultRebootPaths;
  std::vector<std::string> out;
  for (auto& p : j["reboot_paths"])
    if (p.is_string() && !p.get<std::string>().empty()) out.push_back(p.get<std::string>());
  return out;
}

UpgradePlan plan_upgrade(const image::Manifest& from, const image::Manifest& to, const CostFn& cost,
                         const std::vector<std::string>& reboot_paths) {
  UpgradePlan plan;
  image::KeepList keep(to.keep);
  auto skipped = [&](std::string_view path) { return keep.keeps(path) || agent_state(path); };
  auto touches = [&](std::string_view path) {
    if (!under_reboot_path(path, reboot_paths)) return;
    plan.reboot = true;
    if (plan.reboot_because.size() < kRebootExamples) plan.reboot_because.emplace_back("/" + std::string(path));
  };
  // Contents the node already has: any file of its current image, wherever it lives.
  std::set<image::Digest> have;
  for (auto& e : from.entries)
    if (e.type == EntryType::file) have.insert(e.sha256);
  std::set<image::Digest> fetched;
  auto fetch = [&](const Entry* old, const Entry& want) {
    if (want.type != EntryType::file || have.count(want.sha256) || !fetched.insert(want.sha256).second) return;
    const image::Digest* base = old && old->type == EntryType::file ? &old->sha256 : nullptr;
    TransferCost c = cost(base, want.sha256);
    plan.objects++;
    plan.bytes += c.bytes;
    plan.content_bytes += want.size;
    if (c.delta) plan.deltas++;
  };

  auto diff = image::diff_manifests(from, to);
  for (auto& path : diff.added) {
    if (skipped(path)) continue;
    plan.added++;
    touches(path);
    if (auto* e = to.find(path)) fetch(nullptr, *e);
  }
  for (auto& change : diff.changed) {
    if (skipped(change.path)) continue;
    plan.changed++;
    touches(change.path);
    if (auto* e = to.find(change.path)) fetch(from.find(change.path), *e);
  }
  for (auto& path : diff.removed) {
    if (skipped(path)) continue;
    plan.removed++;
    touches(path);
  }
  return plan;
}

nlohmann::json to_json(const UpgradePlan& p) {
  return {{"added", p.added},   {"changed", p.changed}, {"removed", p.removed},
          {"objects", p.objects}, {"deltas", p.deltas}, {"bytes", p.bytes},
          {"content_bytes", p.content_bytes}, {"reboot", p.reboot}, {"reboot_because", p.reboot_because}};
}

}  // namespace ingot::rollout
