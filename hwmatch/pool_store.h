// Where pool allocations live: per role, which node holds which values. The provisioner backs
// this with SQLite (a UNIQUE (role, key, value) index gives insert()'s atomic check);
// MemoryPoolStore serves tests and `ingot match`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "hwmatch/pool_set.h"

namespace ingot::hwmatch {

class PoolStore {
 public:
  virtual ~PoolStore() = default;
  virtual Result<std::optional<PoolValues>> find(const std::string& role, const std::string& node) = 0;
  // Every allocation held in the role, by any node (the node itself included).
  virtual Result<std::map<std::string, PoolValues>> held(const std::string& role) = 0;
  // Records the node's values unless the node already has an allocation in the role or
  // another node of the role holds the same value for one of exclusive_keys; returns false
  // then, storing nothing. Check and insert are one step, so two allocators racing for one
  // address cannot both win.
  virtual Result<bool> insert(const std::string& role, const std::string& node, const PoolValues& values,
                              const std::vector<std::string>& exclusive_keys) = 0;
  // Returns whether the node held anything in the role.
  virtual Result<bool> release(const std::string& role, const std::string& node) = 0;
};

class MemoryPoolStore final : public PoolStore {
 public:
  Result<std::optional<PoolValues>> find(const std::string& role, const std::string& node) override;
  Result<std::map<std::string, PoolValues>> held(const std::string& role) override;
  Result<bool> insert(const std::string& role, const std::string& node, const PoolValues& values,
                      const std::vector<std::string>& exclusive_keys) override;
  Result<bool> release(const std::string& role, const std::string& node) override;

 private:
  struct RoleState {
    std::map<std::string, PoolValues> by_node;
    std::map<std::pair<std::string, std::string>, std::string> owner;  // (key, value) -> node
  };
  std::map<std::string, RoleState> roles_;
};

}  // namespace ingot::hwmatch
