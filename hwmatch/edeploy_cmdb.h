// eDeploy's CMDB as an allocator: each entry is the key/values (hostname, ip, ...) one node
// gets. The user guide's rules: when the spec has $$ variables, only they pick the entry (the
// entry whose values for those keys equal the node's); otherwise a node gets back an entry
// already marked used with its own values (e.g. its mac), else the first entry not in use.
#pragma once

#include <vector>

#include "common/result.h"
#include "hwmatch/matcher.h"
#include "hwmatch/role.h"

namespace ingot::hwmatch {

// taken: allocations other nodes of this role hold now. The result omits eDeploy's 'used'
// marker and adds the node's bindings, as eDeploy stores them in the entry.
Result<Allocation> cmdb_allocate(const Role& role, const Bindings& bindings, const std::vector<Allocation>& taken);

}  // namespace ingot::hwmatch
