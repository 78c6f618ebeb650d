// Role selection: roles are tried in order; the first that matches the node's facts and has
// room (count '*' or fewer than N nodes holding it) wins. The slot is reserved on match,
// committed when the deploy succeeds, released on failure or timeout. A node that already holds
// a role gets the same role, bindings and allocation back (sticky), whatever the arrival order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "hwmatch/explain.h"
#include "hwmatch/role.h"
#include "hwmatch/selection_store.h"

namespace ingot::hwmatch {

// Picks the node's allocation within the role it matched, given the allocations other nodes
// of that role already hold. Returns an error when the role has nothing left to hand out
// (the role is then treated as full). Pools and eDeploy CMDBs provide one.
using AllocateFn = std::function<Result<Allocation>(const Role& role, const Bindings& bindings,
                                                    const std::vector<Allocation>& taken)>;

struct RoleOutcome {
  enum class Kind { matched, no_match, too_complex, full, disabled, no_allocation };
  std::string role;
  Kind kind = Kind::no_match;
  std::string detail;  // the nearest miss, or why a matching role was skipped
};

struct Decision {
  bool assigned = false;
  bool sticky = false;  // the node already held this assignment
  Assignment assignment;
  std::vector<RoleOutcome> outcomes;  // per role tried, in order
};

// A stable identity for a node from its facts: the SMBIOS UUID, else the product serial,
// else its lowest MAC address. Empty when the facts hold none of them.
std::string node_identity(const Facts& facts);

class Selector {
 public:
  Selector(const std::vector<Role>& roles, AssignmentStore& store, AllocateFn allocate = {});

  // With explain, every role that does not match gets its nearest miss in outcomes.
  Result<Decision> select(const std::string& node, const Facts& facts, std::int64_t now, bool explain = false);
  Result<void> deployed(const std::string& node) { return store_.commit(node); }
  Result<void> failed(const std::string& node) { return store_.release(node); }
  // Releases reservations older than ttl seconds (deploys that never reported back) and
  // returns them, so the caller can fail their nodes.
  Result<std::vector<Assignment>> expire(std::int64_t now, std::int64_t ttl);

 private:
  const Role* find_role(const std::string& name) const;
  Result<bool> try_role(const Role& role, const std::string& node, const MatchResult& m, std::int64_t now,
                        Decision& d);

  const std::vector<Role>& roles_;
  AssignmentStore& store_;
  AllocateFn allocate_;
  Matcher matcher_;
};

std::string outcome_text(RoleOutcome::Kind k);

}  // namespace ingot::hwmatch
