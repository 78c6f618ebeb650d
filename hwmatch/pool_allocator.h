// Allocation from per-role pools through a PoolStore: the entry point role selection calls
// once a node has matched a role.
//   allocate(role, node, exported_vars) -> {"hostname": "compute007", "ip": "10.0.0.16", ...}
// Sticky: a node that holds an allocation in the role gets it back unchanged. Otherwise a
// pre-assigned entry picked by a $$var, else the first free value of each pool, in pool order
// (deterministic for a given arrival order). A role without pools allocates nothing ({}).
#pragma once

#include <map>
#include <string>

#include "common/result.h"
#include "hwmatch/pool_set.h"
#include "hwmatch/pool_store.h"

namespace ingot::hwmatch {

// The store may refuse a pick another allocator just took; retry this many times before
// calling it a conflict (each retry sees the other's allocation and picks past it).
inline constexpr int kMaxAllocateAttempts = 8;

using RolePoolMap = std::map<std::string, RolePools>;

class PoolAllocator {
 public:
  PoolAllocator(const RolePoolMap& pools, PoolStore& store) : pools_(pools), store_(store) {}

  // Errors carry PoolError codes: exhausted (names role, key and pattern), store_failed, conflict.
  Result<PoolValues> allocate(const std::string& role, const std::string& node, const PoolVars& exported_vars);
  // Returns the node's values to the pools; false when it held none in the role.
  Result<bool> release(const std::string& role, const std::string& node);

 private:
  const RolePoolMap& pools_;
  PoolStore& store_;
};

}  // namespace ingot::hwmatch
