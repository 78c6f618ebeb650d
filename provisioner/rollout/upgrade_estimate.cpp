#include "provisioner/rollout/upgrade_estimate.h"

#include "imagebuilder/upgrade_plan.h"
#include "imagebuilder/upgrade_policy.h"

namespace ingot::rollout {

Result<UpgradeEstimate> estimate_upgrade(const image::Manifest& from, const image::Manifest& to,
                                         std::string_view policy_text, const CostFn& cost) {
  image::UpgradePolicy policy;
  if (!policy_text.empty()) {
    auto parsed = image::parse_upgrade_policy(policy_text);
    if (!parsed) return fail(to.ref().str() + ": " + parsed.error().message());
    policy = std::move(*parsed);
  }
  // The node's config files are not known here (the agent keeps them too): the estimate may
  // count a config file the image also ships, never miss one the agent writes.
  auto protect = image::protected_paths(from, to, {});
  auto plan = image::make_plan(from, to, {}, protect, policy);

  UpgradeEstimate e;
  e.added = plan.added.size();
  e.changed = plan.changed.size() + plan.meta.size();
  e.removed = plan.removed.size();
  e.reboot = plan.reboot;
  // The agent's rule: a directory's metadata alone never reboots.
  auto dir_meta = [&](const std::string& path) {
    const image::Entry* x = to.find(path);
    return x && x->type == image::EntryType::dir;
  };
  for (const auto* list : {&plan.added, &plan.changed, &plan.meta, &plan.removed})
    for (auto& path : *list)
      if (e.reboot_because.size() < kRebootExamples && policy.needs_reboot(path) && !(list == &plan.meta && dir_meta(path)))
        e.reboot_because.push_back("/" + path);
  for (auto& want : plan.objects) {
    const image::Entry* base = from.find(want.path);
    TransferCost c = cost(base && base->type == image::EntryType::file ? base : nullptr, want);
    e.objects++;
    e.bytes += c.bytes;
    e.content_bytes += want.size;
    if (c.delta) e.deltas++;
  }
  return e;
}

nlohmann::json to_json(const UpgradeEstimate& e) {
  return {{"added", e.added},     {"changed", e.changed}, {"removed", e.removed},
          {"objects", e.objects}, {"deltas", e.deltas},   {"bytes", e.bytes},
          {"content_bytes", e.content_bytes}, {"reboot", e.reboot}, {"reboot_because", e.reboot_because}};
}

}  // namespace ingot::rollout
