// Role assignments in SQLite (hwmatch::AssignmentStore): which node holds which role, with
// its bindings and allocation, reserved or committed. reserve() counts and inserts inside one
// transaction (a savepoint inside the caller's), so two nodes racing for a role's last slot
// cannot both get it. Shares the inventory's connection: a match is one transaction.
#pragma once

#include "hwmatch/selection_store.h"
#include "provisioner/store/sqlite_db.h"

namespace ingot::store {

class SqliteAssignmentStore final : public hwmatch::AssignmentStore {
 public:
  explicit SqliteAssignmentStore(Db db) : db_(std::move(db)) {}

  Result<std::optional<hwmatch::Assignment>> find(const std::string& node) override;
  Result<bool> reserve(const hwmatch::Assignment& a, std::optional<std::size_t> limit) override;
  Result<void> commit(const std::string& node) override;
  Result<void> release(const std::string& node) override;
  Result<std::vector<hwmatch::Assignment>> list() override;

 private:
  Result<void> run_for_node(std::string_view sql, const std::string& node);
  Db db_;
};

}  // namespace ingot::store
