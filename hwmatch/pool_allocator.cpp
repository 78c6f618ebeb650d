#include "hwmatch/pool_allocator.h"

#include "hwmatch/pool_error.h"

namespace ingot::hwmatch {
namespace {

Unexpected store_error(const std::string& role, const Error& e) {
  return fail(PoolError::store_failed, "pools of role '" + role + "': store: " + e.message());
}

}  // namespace

Result<PoolValues> PoolAllocator::allocate(const std::string& role, const std::string& node,
                                           const PoolVars& exported_vars) {
  auto existing = store_.find(role, node);
  if (!existing) return store_error(role, existing.error());
  if (*existing) return std::move(**existing);
  auto it = pools_.find(role);
  if (it == pools_.end() || it->second.empty()) return PoolValues{};
  const RolePools& pools = it->second;
  for (int attempt = 0; attempt < kMaxAllocateAttempts; ++attempt) {
    auto held = store_.held(role);
    if (!held) return store_error(role, held.error());
    std::vector<PoolValues> taken;
    taken.reserve(held->size());
    for (auto& [holder, values] : *held)
      if (holder != node) taken.push_back(std::move(values));
    auto picked = pools.pick(exported_vars, taken);
    if (!picked) return fail(picked.error().code, "role '" + role + "': " + picked.error().message());
    auto stored = store_.insert(role, node, *picked, pools.exclusive_keys());
    if (!stored) return store_error(role, stored.error());
    if (*stored) return std::move(*picked);
    // Refused: either this node got an allocation meanwhile (sticky wins) or another node
    // took a value we picked (pick again).
    auto now = store_.find(role, node);
    if (!now) return store_error(role, now.error());
    if (*now) return std::move(**now);
  }
  return fail(PoolError::conflict, "role '" + role + "': node '" + node + "': the store refused " +
                                       std::to_string(kMaxAllocateAttempts) +
                                       " picks in a row (a pre-assigned value held by another node?)");
}

Result<bool> PoolAllocator::release(const std::string& role, const std::string& node) {
  auto r = store_.release(role, node);
  if (!r) return store_error(role, r.error());
  return *r;
}

}  // namespace ingot::hwmatch
