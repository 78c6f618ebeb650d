// The database schema as an ordered list of migrations; PRAGMA user_version records how many
// have run. Migrations only ever append: a shipped migration is never edited.
#pragma once

#include "common/result.h"
#include "provisioner/store/sqlite_db.h"

namespace ingot::store {

// Brings db up to the newest schema inside one transaction per migration.
Result<void> migrate(Db& db);
int schema_version(Db& db);
int latest_schema_version();

}  // namespace ingot::store
