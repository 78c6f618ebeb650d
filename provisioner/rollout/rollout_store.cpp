#include "provisioner/rollout/rollout_store.h"

#include <array>
#include <chrono>

namespace ingot::rollout {
namespace {
using nlohmann::json;

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

constexpr const char* kRolloutColumns =
    "id, role, from_version, to_image, canary, batch, max_failures, drift, state, reason, created_ms, updated_ms";
constexpr const char* kUpgradeColumns =
    "u.id, COALESCE(u.rollout_id, 0), u.node_id, n.name, u.seq, u.from_image, u.to_image, u.drift, u.status, "
    "u.message, u.started_ms, u.updated_ms";

RolloutRecord rollout_from_row(const store::Statement& st) {
  RolloutRecord r;
  r.id = st.int64(0);
  r.role = st.text(1);
  r.from_version = st.text(2);
  r.to_image = st.text(3);
  r.settings.canary = static_cast<int>(st.int64(4));
  r.settings.batch = static_cast<int>(st.int64(5));
  r.settings.max_failures = static_cast<int>(st.int64(6));
  r.drift = st.text(7);
  r.state = rollout_state_from(st.text(8)).value_or(RolloutState::stopped);
  r.reason = st.text(9);
  r.created_ms = st.int64(10);
  r.updated_ms = st.int64(11);
  return r;
}

UpgradeRecord upgrade_from_row(const store::Statement& st) {
  UpgradeRecord u;
  u.id = st.int64(0);
  u.rollout_id = st.int64(1);
  u.node_id = st.int64(2);
  u.node_name = st.text(3);
  u.seq = st.int64(4);
  u.from_image = st.text(5);
  u.to_image = st.text(6);
  u.drift = st.text(7);
  u.status = st.text(8);
  u.message = st.text(9);
  u.started_ms = st.int64(10);
  u.updated_ms = st.int64(11);
  return u;
}

}  // namespace

SlotStatus slot_status(std::string_view s) {
  if (s == "pending") return SlotStatus::pending;
  if (s == "assigned") return SlotStatus::assigned;
  if (s == "done") return SlotStatus::done;
  if (s == "failed" || s == "rolled_back" || s == "timed_out") return SlotStatus::failed;
  if (s == "cancelled") return SlotStatus::cancelled;
  return SlotStatus::running;
}

bool is_final_status(std::string_view s) { return is_terminal(slot_status(s)); }

Result<RolloutStore> RolloutStore::open(const std::filesystem::path& db_file) {
  auto db = store::Db::open(db_file);
  if (!db) return fail(db.error());
  return RolloutStore(std::move(*db));
}

Result<std::int64_t> RolloutStore::insert_rollout(const RolloutRecord& r) {
  auto st = db_.prepare(
      "INSERT INTO rollouts(role, from_version, to_image, canary, batch, max_failures, drift, state, reason, "
      "created_ms, updated_ms) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  if (!st) return fail(st.error());
  std::int64_t t = now_ms();
  st->bind(1, std::string_view(r.role)).bind(2, std::string_view(r.from_version)).bind(3, std::string_view(r.to_image));
  st->bind(4, std::int64_t{r.settings.canary}).bind(5, std::int64_t{r.settings.batch});
  st->bind(6, std::int64_t{r.settings.max_failures}).bind(7, std::string_view(r.drift));
  st->bind(8, to_string(r.state)).bind(9, std::string_view(r.reason)).bind(10, t).bind(11, t);
  if (auto e = st->run(); !e) return fail(e.error());
  return db_.last_insert_id();
}

Result<std::int64_t> RolloutStore::insert_upgrade(const UpgradeRecord& u) {
  auto st = db_.prepare(
      "INSERT INTO upgrades(rollout_id, node_id, seq, from_image, to_image, drift, status, message, started_ms, "
      "updated_ms) VALUES(?,?,?,?,?,?,?,?,?,?)");
  if (!st) return fail(st.error());
  std::int64_t t = now_ms();
  if (u.rollout_id > 0) st->bind(1, u.rollout_id);
  else st->bind_null(1);
  st->bind(2, u.node_id).bind(3, u.seq).bind(4, std::string_view(u.from_image)).bind(5, std::string_view(u.to_image));
  st->bind(6, std::string_view(u.drift)).bind(7, std::string_view(u.status)).bind(8, std::string_view(u.message));
  st->bind(9, u.status == "assigned" ? t : std::int64_t{0}).bind(10, t);
  if (auto e = st->run(); !e) return fail(e.error());
  return db_.last_insert_id();
}

Result<std::optional<RolloutRecord>> RolloutStore::rollout(std::int64_t id) {
  auto st = db_.prepare(std::string("SELECT ") + kRolloutColumns + " FROM rollouts WHERE id = ?");
  if (!st) return fail(st.error());
  st->bind(1, id);
  return st->first_row(rollout_from_row);
}

Result<std::vector<RolloutRecord>> RolloutStore::rollouts() {
  auto st = db_.prepare(std::string("SELECT ") + kRolloutColumns + " FROM rollouts ORDER BY id");
  if (!st) return fail(st.error());
  return st->rows(rollout_from_row);
}

// `where` is always a literal from this file, never input.
Result<std::vector<UpgradeRecord>> RolloutStore::upgrades_where(std::string_view where, std::int64_t arg) {
  auto st = db_.prepare(std::string("SELECT ") + kUpgradeColumns +
                        " FROM upgrades u JOIN nodes n ON n.id = u.node_id WHERE " + std::string(where));
  if (!st) return fail(st.error());
  if (arg != 0) st->bind(1, arg);
  return st->rows(upgrade_from_row);
}

Result<std::vector<UpgradeRecord>> RolloutStore::upgrades_of(std::int64_t rollout_id) {
  return upgrades_where("u.rollout_id = ? ORDER BY u.seq", rollout_id);
}

namespace {
constexpr const char* kFinal = "('done','failed','rolled_back','timed_out','cancelled')";
}

Result<std::optional<UpgradeRecord>> RolloutStore::active_upgrade(std::int64_t node_id) {
  auto all = upgrades_where(std::string("u.node_id = ? AND u.status != 'pending' AND u.status NOT IN ") + kFinal +
                                " ORDER BY u.id DESC LIMIT 1",
                            node_id);
  if (!all) return fail(all.error());
  if (all->empty()) return std::optional<UpgradeRecord>{};
  return std::optional<UpgradeRecord>{all->front()};
}

Result<std::optional<UpgradeRecord>> RolloutStore::open_upgrade(std::int64_t node_id) {
  auto all = upgrades_where(std::string("u.node_id = ? AND u.status NOT IN ") + kFinal + " ORDER BY u.id DESC LIMIT 1",
                            node_id);
  if (!all) return fail(all.error());
  if (all->empty()) return std::optional<UpgradeRecord>{};
  return std::optional<UpgradeRecord>{all->front()};
}

Result<std::vector<UpgradeRecord>> RolloutStore::in_flight() {
  return upgrades_where(std::string("u.status != 'pending' AND u.status NOT IN ") + kFinal + " ORDER BY u.id", 0);
}

Result<void> RolloutStore::set_upgrade_status(std::int64_t id, std::string_view status, std::string_view message,
                                              bool starting) {
  auto st = db_.prepare(
      "UPDATE upgrades SET status = ?, message = ?, updated_ms = ?, "
      "started_ms = CASE WHEN ? THEN ? ELSE started_ms END WHERE id = ?");
  if (!st) return fail(st.error());
  std::int64_t t = now_ms();
  st->bind(1, status).bind(2, message).bind(3, t).bind(4, std::int64_t{starting ? 1 : 0}).bind(5, t).bind(6, id);
  return st->run();
}

Result<void> RolloutStore::set_rollout_state(std::int64_t id, RolloutState s, std::string_view reason) {
  auto st = db_.prepare("UPDATE rollouts SET state = ?, reason = ?, updated_ms = ? WHERE id = ?");
  if (!st) return fail(st.error());
  st->bind(1, to_string(s)).bind(2, reason).bind(3, now_ms()).bind(4, id);
  return st->run();
}

Result<void> RolloutStore::set_node_image(std::int64_t node_id, std::string_view image) {
  auto st = db_.prepare("UPDATE nodes SET image = ?, updated_ms = ? WHERE id = ?");
  if (!st) return fail(st.error());
  st->bind(1, image).bind(2, now_ms()).bind(3, node_id);
  return st->run();
}

Result<void> RolloutStore::event(std::int64_t node_id, std::int64_t rollout_id, std::string_view kind,
                                 std::string_view message, const json& data) {
  auto st = db_.prepare(
      "INSERT INTO events(node_id, rollout_id, ts_ms, phase, kind, message, data) VALUES(?,?,?,'upgrade',?,?,?)");
  if (!st) return fail(st.error());
  if (node_id > 0) st->bind(1, node_id);
  else st->bind_null(1);
  if (rollout_id > 0) st->bind(2, rollout_id);
  else st->bind_null(2);
  st->bind(3, now_ms()).bind(4, kind).bind(5, message).bind(6, std::string_view(data.dump()));
  return st->run();
}

Result<std::vector<RolloutEvent>> RolloutStore::rollout_events(std::int64_t rollout_id) {
  auto st = db_.prepare(
      "SELECT e.id, COALESCE(n.name, ''), e.ts_ms, e.kind, e.message, e.data FROM events e "
      "LEFT JOIN nodes n ON n.id = e.node_id WHERE e.rollout_id = ? ORDER BY e.id");
  if (!st) return fail(st.error());
  st->bind(1, rollout_id);
  return st->rows([](const store::Statement& row) {
    auto d = json::parse(row.text(5), nullptr, false);
    return RolloutEvent{row.int64(0), row.text(1), row.int64(2), row.text(3), row.text(4),
                        d.is_discarded() ? json::object() : d};
  });
}

json to_json(const RolloutRecord& r) {
  return {{"id", r.id},
          {"role", r.role},
          {"from", r.from_version.empty() ? json(nullptr) : json(r.from_version)},
          {"to", r.to_image},
          {"canary", r.settings.canary},
          {"batch", r.settings.batch},
          {"max_failures", r.settings.max_failures},
          {"drift", r.drift},
          {"state", std::string(to_string(r.state))},
          {"reason", r.reason},
          {"created_ms", r.created_ms},
          {"updated_ms", r.updated_ms}};
}

json to_json(const UpgradeRecord& u) {
  return {{"node", u.node_name},       {"seq", u.seq},         {"from", u.from_image},
          {"to", u.to_image},          {"drift", u.drift},     {"status", u.status},
          {"message", u.message},      {"started_ms", u.started_ms}, {"updated_ms", u.updated_ms},
          {"rollout", u.rollout_id > 0 ? json(u.rollout_id) : json(nullptr)}};
}

json to_json(const RolloutEvent& e) {
  return {{"id", e.id}, {"node", e.node}, {"ts_ms", e.ts_ms}, {"kind", e.kind}, {"message", e.message}, {"data", e.data}};
}

}  // namespace ingot::rollout
