#include "hwmatch/pool_store.h"

namespace ingot::hwmatch {

Result<std::optional<PoolValues>> MemoryPoolStore::find(const std::string& role, const std::string& node) {
  auto r = roles_.find(role);
  if (r == roles_.end()) return std::optional<PoolValues>();
  auto n = r->second.by_node.find(node);
  if (n == r->second.by_node.end()) return std::optional<PoolValues>();
  return std::optional<PoolValues>(n->second);
}

Result<std::map<std::string, PoolValues>> MemoryPoolStore::held(const std::string& role) {
  auto r = roles_.find(role);
  if (r == roles_.end()) return std::map<std::string, PoolValues>();
  return r->second.by_node;
}

Result<bool> MemoryPoolStore::insert(const std::string& role, const std::string& node, const PoolValues& values,
                                     const std::vector<std::string>& exclusive_keys) {
  RoleState& s = roles_[role];
  if (s.by_node.count(node)) return false;
  for (const auto& k : exclusive_keys)
    if (auto v = values.find(k); v != values.end() && s.owner.count({k, v->second})) return false;
  for (const auto& k : exclusive_keys)
    if (auto v = values.find(k); v != values.end()) s.owner[{k, v->second}] = node;
  s.by_node[node] = values;
  return true;
}

Result<bool> MemoryPoolStore::release(const std::string& role, const std::string& node) {
  auto r = roles_.find(role);
  if (r == roles_.end()) return false;
  RoleState& s = r->second;
  auto n = s.by_node.find(node);
  if (n == s.by_node.end()) return false;
  for (auto it = s.owner.begin(); it != s.owner.end();)
    it = it->second == node ? s.owner.erase(it) : std::next(it);
  s.by_node.erase(n);
  return true;
}

}  // namespace ingot::hwmatch
