#include "provisioner/store/schema.h"

#include <array>
#include <string>

namespace ingot::store {
namespace {

constexpr std::array kMigrations = {
    // 1: nodes and their event timeline.
    R"sql(
CREATE TABLE nodes (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  mac           TEXT UNIQUE,
  uuid          TEXT,
  bmc           TEXT,              -- ipmi://user@host:port (no password)
  bmc_password  TEXT,              -- never returned by the API
  state         TEXT NOT NULL,
  phase         TEXT NOT NULL DEFAULT '',
  failure       TEXT NOT NULL DEFAULT '',
  role          TEXT NOT NULL DEFAULT '',
  allocation    TEXT NOT NULL DEFAULT '{}',
  variables     TEXT NOT NULL DEFAULT '{}',
  facts         TEXT NOT NULL DEFAULT '[]',
  token_hash    TEXT NOT NULL DEFAULT '',
  attempts      INTEGER NOT NULL DEFAULT 0,
  created_ms    INTEGER NOT NULL,
  updated_ms    INTEGER NOT NULL
);
CREATE TABLE events (
  id       INTEGER PRIMARY KEY,
  node_id  INTEGER REFERENCES nodes(id) ON DELETE CASCADE,
  ts_ms    INTEGER NOT NULL,
  phase    TEXT NOT NULL,
  kind     TEXT NOT NULL,
  message  TEXT NOT NULL,
  data     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_node ON events(node_id, id);
)sql",
    // 2: what the operator asked for a node ('' | inspect | deploy): PXE boots follow it.
    R"sql(
ALTER TABLE nodes ADD COLUMN goal TEXT NOT NULL DEFAULT '';
)sql",
    // 3: role assignments (hwmatch selection): reserved on match, committed on deploy.
    R"sql(
CREATE TABLE assignments (
  node        TEXT PRIMARY KEY,
  role        TEXT NOT NULL,
  bindings    TEXT NOT NULL,
  allocation  TEXT NOT NULL,
  state       TEXT NOT NULL,
  since       INTEGER NOT NULL
);
CREATE INDEX assignments_by_role ON assignments(role);
)sql",
    // 4: image-based upgrades. nodes.image: the image a node runs (role@version, resolved);
    // rollouts and their per-node upgrades (rollout_id NULL: `ingot node upgrade`); events may
    // belong to a rollout too, so one row is on both the node's and the rollout's timeline.
    R"sql(
ALTER TABLE nodes ADD COLUMN image TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN rollout_id INTEGER;
CREATE INDEX events_by_rollout ON events(rollout_id, id);
CREATE TABLE rollouts (
  id            INTEGER PRIMARY KEY,
  role          TEXT NOT NULL,
  from_version  TEXT NOT NULL DEFAULT '',   -- '' = any version but `to`
  to_image      TEXT NOT NULL,              -- role@version
  canary        INTEGER NOT NULL,
  batch         INTEGER NOT NULL,
  max_failures  INTEGER NOT NULL,
  drift         TEXT NOT NULL,
  state         TEXT NOT NULL,
  reason        TEXT NOT NULL DEFAULT '',
  created_ms    INTEGER NOT NULL,
  updated_ms    INTEGER NOT NULL
);
CREATE TABLE upgrades (
  id            INTEGER PRIMARY KEY,
  rollout_id    INTEGER REFERENCES rollouts(id) ON DELETE CASCADE,
  node_id       INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  from_image    TEXT NOT NULL,
  to_image      TEXT NOT NULL,
  drift         TEXT NOT NULL,
  status        TEXT NOT NULL,
  message       TEXT NOT NULL DEFAULT '',
  started_ms    INTEGER NOT NULL DEFAULT 0,
  updated_ms    INTEGER NOT NULL
);
CREATE INDEX upgrades_by_node ON upgrades(node_id, id);
CREATE INDEX upgrades_by_rollout ON upgrades(rollout_id, seq);
)sql",
};

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

int schema_version(Db& db) {
  auto st = db.prepare("PRAGMA user_version");
  if (!st) return -1;
  auto row = st->step();
  return row && *row ? static_cast<int>(st->int64(0)) : -1;
}

Result<void> migrate(Db& db) {
  int have = schema_version(db);
  if (have < 0) return fail("database: cannot read schema version");
  if (have > latest_schema_version())
    return fail("database: schema version " + std::to_string(have) + " is newer than this ingot (" +
                std::to_string(latest_schema_version()) + "); upgrade ingot or use another --state-dir");
  for (int v = have; v < latest_schema_version(); ++v) {
    auto r = db.transaction([&]() -> Result<void> {
      if (auto e = db.exec(kMigrations[static_cast<std::size_t>(v)]); !e) return e;
      return db.exec("PRAGMA user_version = " + std::to_string(v + 1));
    });
    if (!r) return fail(r.error().code, "database migration " + std::to_string(v + 1) + ": " + r.error().message());
  }
  return ok();
}

}  // namespace ingot::store
