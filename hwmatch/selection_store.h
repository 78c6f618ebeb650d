// Where role assignments live: which node holds which role, its bindings and allocation, and
// whether the slot is only reserved (matched, deploy pending) or committed (deployed). The
// provisioner backs this with SQLite; MemoryAssignmentStore serves tests and `ingot match`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "hwmatch/matcher.h"
#include "hwmatch/role.h"

namespace ingot::hwmatch {

struct Assignment {
  enum class State { reserved, committed };
  std::string node;
  std::string role;
  Bindings bindings;
  Allocation allocation;
  State state = State::reserved;
  std::int64_t since = 0;  // when reserved, on the caller's clock (seconds)
};

class AssignmentStore {
 public:
  virtual ~AssignmentStore() = default;
  virtual Result<std::optional<Assignment>> find(const std::string& node) = 0;
  // Stores a reservation unless the role already holds `limit` nodes (reserved or committed);
  // returns false when it is full. Check and insert are one step, so two nodes racing for the
  // last slot cannot both win.
  virtual Result<bool> reserve(const Assignment& a, std::optional<std::size_t> limit) = 0;
  virtual Result<void> commit(const std::string& node) = 0;
  virtual Result<void> release(const std::string& node) = 0;
  virtual Result<std::vector<Assignment>> list() = 0;
};

class MemoryAssignmentStore final : public AssignmentStore {
 public:
  Result<std::optional<Assignment>> find(const std::string& node) override;
  Result<bool> reserve(const Assignment& a, std::optional<std::size_t> limit) override;
  Result<void> commit(const std::string& node) override;
  Result<void> release(const std::string& node) override;
  Result<std::vector<Assignment>> list() override;

 private:
  std::map<std::string, Assignment> by_node_;
  std::map<std::string, std::size_t> per_role_;
};

}  // namespace ingot::hwmatch
