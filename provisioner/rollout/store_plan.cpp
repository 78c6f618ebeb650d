#include "provisioner/rollout/store_plan.h"

namespace ingot::rollout {

Result<UpgradePlan> plan_from_store(const image::ObjectStore& store, const image::ImageRef& from,
                                    const image::ImageRef& to) {
  auto a = store.load_manifest(from);
  if (!a) return fail(a.error().code, "manifest of " + from.str() + ": " + a.error().message());
  auto b = store.load_manifest(to);
  if (!b) return fail(b.error().code, "manifest of " + to.str() + ": " + b.error().message());
  std::string policy;
  if (auto* e = b->find(kUpgradePolicyPath); e && e->type == image::EntryType::file && e->size <= kMaxUpgradePolicyBytes) {
    auto text = store.read_object_bytes(e->sha256, e->size);
    if (!text) return fail(text.error().code, to.str() + " /" + std::string(kUpgradePolicyPath) + ": " + text.error().message());
    policy = std::move(*text);
  }
  auto cost = [&store](const image::Digest*, const image::Digest& want) {
    std::error_code ec;
    auto size = std::filesystem::file_size(store.object_path(want), ec);
    return TransferCost{ec ? 0 : static_cast<std::uint64_t>(size), false};
  };
  return plan_upgrade(*a, *b, cost, reboot_paths_from(policy));
}

}  // namespace ingot::rollout
