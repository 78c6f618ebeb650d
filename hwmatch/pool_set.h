// One role's allocation pools: per key (hostname, ip, ipv6, any name) a generator of values
// (pool_range.h) or a constant, plus pre-assigned tables (eDeploy's .cmdb idea) keyed by an
// exported variable: "$$serial": {"SN123": {"hostname": "ctl01", "ip": "10.0.0.5"}}.
// pick() is pure: given the allocations other nodes hold, it returns this node's. A $$var
// whose value has no entry falls back to the pools (new machines keep arriving).
//
// JSON form (roles/<role>/pools.json):
//   { "hostname": "compute001-250",
//     "ip": "10.0.0.10-20:30-40",
//     "ipv6": ["fd00::10-fd00::1f", "fd00::100-fd00::10f"],   // several ranges, in order
//     "gateway": "10.0.0.1",                                  // constant: every node
//     "$$serial": { "SN-0001": {"hostname": "ctl001", "ip": "10.0.0.5"} } }
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "hwmatch/pool_range.h"

namespace ingot::hwmatch {

// The key/values one node gets; same type as role selection's Allocation.
using PoolValues = std::map<std::string, std::string>;
// Exported spec variables ($$name without the "$$") and their bound values.
using PoolVars = std::map<std::string, std::string>;

// Bounds on a pools file (operator-written, but a typo must not eat memory).
inline constexpr std::size_t kMaxPoolsDocument = 4 * 1024 * 1024;
inline constexpr std::size_t kMaxPoolKeys = 256;
inline constexpr std::size_t kMaxPreassignedEntries = 100'000;

struct Pool {
  std::string key;
  std::vector<ValueRange> ranges;  // tried in order; one constant range makes a constant pool
  bool constant() const { return ranges.size() == 1 && ranges[0].constant(); }
  std::uint64_t size() const;
};

struct PreassignedTable {
  std::string variable;                     // "serial" for "$$serial"
  std::map<std::string, PoolValues> entries;  // variable's value -> the node's values
};

class RolePools {
 public:
  // file names the source in errors ("roles/compute/pools.json").
  static Result<RolePools> from_json(std::string_view text, const std::string& file);
  Result<void> add_pool(const std::string& key, const std::vector<std::string>& patterns);
  Result<void> add_table(PreassignedTable table);

  // The node's values: a pre-assigned entry picked by vars (tables in variable-name order,
  // first hit wins) for the keys it names; for every other pooled key the first value, in
  // pool order, that no allocation in `taken` holds and no pre-assigned entry reserves;
  // constants as they are. Errors: PoolError::exhausted naming the key and pool.
  Result<PoolValues> pick(const PoolVars& vars, const std::vector<PoolValues>& taken) const;

  // Keys whose values are exclusive (generated pools and pre-assigned values), i.e. two
  // nodes of the role may never hold the same value.
  std::vector<std::string> exclusive_keys() const;
  bool empty() const { return pools_.empty() && tables_.empty(); }
  const std::vector<Pool>& pools() const { return pools_; }
  const std::vector<PreassignedTable>& tables() const { return tables_; }

 private:
  const PoolValues* preassigned(const PoolVars& vars) const;
  std::vector<Pool> pools_;
  std::vector<PreassignedTable> tables_;
};

}  // namespace ingot::hwmatch
