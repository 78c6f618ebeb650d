#include "hwmatch/selection_store.h"

namespace ingot::hwmatch {

Result<std::optional<Assignment>> MemoryAssignmentStore::find(const std::string& node) {
  auto it = by_node_.find(node);
  if (it == by_node_.end()) return std::optional<Assignment>{};
  return std::optional<Assignment>{it->second};
}

Result<bool> MemoryAssignmentStore::reserve(const Assignment& a, std::optional<std::size_t> limit) {
  if (by_node_.count(a.node)) return fail("node '" + a.node + "' already holds role '" + by_node_[a.node].role + "'");
  std::size_t& used = per_role_[a.role];
  if (limit && used >= *limit) return false;
  ++used;
  by_node_[a.node] = a;
  return true;
}

Result<void> MemoryAssignmentStore::commit(const std::string& node) {
  auto it = by_node_.find(node);
  if (it == by_node_.end()) return fail("node '" + node + "' holds no reservation to commit");
  it->second.state = Assignment::State::committed;
  return ok();
}

Result<void> MemoryAssignmentStore::release(const std::string& node) {
  auto it = by_node_.find(node);
  if (it == by_node_.end()) return fail("node '" + node + "' holds no role to release");
  --per_role_[it->second.role];
  by_node_.erase(it);
  return ok();
}

Result<std::vector<Assignment>> MemoryAssignmentStore::list() {
  std::vector<Assignment> out;
  out.reserve(by_node_.size());
  for (const auto& [_, a] : by_node_) out.push_back(a);
  return out;
}

}  // namespace ingot::hwmatch
