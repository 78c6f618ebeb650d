// Allocation pools plugged into role selection: loads DIR/<role>/pools.json for ingot roles
// and gives selector.h's AllocateFn, so `Selector(roles, store, pools_allocate_fn(pools))`
// hands each matched node its hostname/IPs. Roles imported from eDeploy keep their CMDB.
#pragma once

#include <filesystem>
#include <vector>

#include "common/result.h"
#include "hwmatch/pool_allocator.h"
#include "hwmatch/role.h"
#include "hwmatch/selector.h"

namespace ingot::hwmatch {

inline constexpr const char* kRolePoolsFile = "pools.json";

// Pools of every role that has DIR/<role>/pools.json; a role without one allocates nothing.
// Errors name the file and key.
Result<RolePoolMap> load_role_pools(const std::filesystem::path& dir, const std::vector<Role>& roles);

// $$name bindings as pool variables ("serial" -> "SN123").
PoolVars exported_vars(const Bindings& bindings);

// For each matched role: its pools (RolePools::pick over the allocations other nodes of the
// role hold), else its eDeploy CMDB, else {}. `pools` must outlive the returned function.
AllocateFn pools_allocate_fn(const RolePoolMap& pools);

}  // namespace ingot::hwmatch
