#include "provisioner/rollout/store_estimate.h"

#include "imagebuilder/delta_store.h"
#include "imagebuilder/upgrade_policy.h"

namespace ingot::rollout {

Result<UpgradeEstimate> estimate_from_store(const image::ObjectStore& store, const image::ImageRef& from,
                                            const image::ImageRef& to) {
  auto a = store.load_manifest(from);
  if (!a) return fail(a.error().code, "manifest of " + from.str() + ": " + a.error().message());
  auto b = store.load_manifest(to);
  if (!b) return fail(b.error().code, "manifest of " + to.str() + ": " + b.error().message());
  std::string policy;
  if (auto* e = b->find(image::kUpgradePolicyPath); e && e->type == image::EntryType::file) {
    if (e->size > image::kMaxUpgradePolicyBytes)
      return fail(to.str() + ": /" + std::string(image::kUpgradePolicyPath) + " is larger than a policy can be");
    auto text = store.read_object_bytes(e->sha256, e->size);
    if (!text) return fail(text.error().code, to.str() + " /" + image::kUpgradePolicyPath + ": " + text.error().message());
    policy = std::move(*text);
  }
  auto cost = [&store](const image::Entry* base, const image::Entry& want) {
    // The agent asks for a delta only from its own file at that path, and not for small files.
    if (base && want.size >= image::kMinDeltaFileBytes) {
      auto d = image::lookup_delta(store, base->sha256, want.sha256);
      if (d.status == image::DeltaStatus::stored) return TransferCost{d.delta_size, true};
    }
    std::error_code ec;
    auto size = std::filesystem::file_size(store.object_path(want.sha256), ec);
    return TransferCost{ec ? 0 : static_cast<std::uint64_t>(size), false};
  };
  return estimate_upgrade(*a, *b, policy, cost);
}

}  // namespace ingot::rollout
