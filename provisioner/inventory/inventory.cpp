#include "provisioner/inventory/inventory.h"

#include <chrono>
#include <map>
#include <mutex>

#include "provisioner/inventory/token.h"
#include "provisioner/store/schema.h"

namespace ingot::inventory {
namespace {
using nlohmann::json;

constexpr const char* kNodeColumns =
    "id, name, mac, uuid, bmc, bmc_password IS NOT NULL AND bmc_password != '', state, phase, failure, role, "
    "allocation, variables, facts, attempts, created_ms, updated_ms, goal, image";

json parse_or_empty(const std::string& s, json fallback) {
  auto j = json::parse(s, nullptr, false);
  return j.is_discarded() ? fallback : j;
}

std::optional<std::string> opt_text(const store::Statement& st, int col) {
  if (st.is_null(col)) return std::nullopt;
  return st.text(col);
}

Node node_from_row(const store::Statement& st) {
  Node n;
  n.id = st.int64(0);
  n.name = st.text(1);
  n.mac = opt_text(st, 2);
  n.uuid = opt_text(st, 3);
  n.bmc = opt_text(st, 4);
  n.has_bmc_password = st.int64(5) != 0;
  n.state = node_state_from(st.text(6)).value_or(NodeState::failed);
  n.phase = st.text(7);
  n.failure = st.text(8);
  n.role = st.text(9);
  n.allocation = parse_or_empty(st.text(10), json::object());
  n.variables = parse_or_empty(st.text(11), json::object());
  n.facts_json = st.text(12);
  n.attempts = static_cast<int>(st.int64(13));
  n.created_ms = st.int64(14);
  n.updated_ms = st.int64(15);
  n.goal = st.text(16);
  n.image = st.text(17);
  return n;
}

Result<std::int64_t> insert_event(store::Db& db, std::int64_t id, std::string_view phase, std::string_view kind,
                                  std::string_view message, const json& data) {
  auto st = db.prepare("INSERT INTO events(node_id, ts_ms, phase, kind, message, data) VALUES(?,?,?,?,?,?)");
  if (!st) return fail(st.error());
  st->bind(1, id).bind(2, now_ms()).bind(3, phase).bind(4, kind).bind(5, message).bind(6, std::string_view(data.dump()));
  if (auto r = st->run(); !r) return fail(r.error());
  return db.last_insert_id();
}

}  // namespace

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool valid_node_name(std::string_view name) {
  if (name.empty() || name.size() > 63 || name.front() == '-') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

struct Inventory::BootView {
  mutable std::mutex mu;
  std::map<std::string, BootEntry, std::less<>> by_mac;
  std::map<std::int64_t, std::string> mac_of;  // id -> the MAC it is filed under

  void erase(std::int64_t id) {
    if (auto it = mac_of.find(id); it != mac_of.end()) {
      by_mac.erase(it->second);
      mac_of.erase(it);
    }
  }
};

Inventory::Inventory(store::Db db, std::shared_ptr<const SecretBox> secrets)
    : db_(std::move(db)), secrets_(std::move(secrets)), boot_(std::make_shared<BootView>()) {}

Result<Inventory> Inventory::open(const std::filesystem::path& db_file) {
  auto secrets = SecretBox::open_or_create(db_file.parent_path() / kSecretKeyFile);
  if (!secrets) return fail(secrets.error());
  auto db = store::Db::open(db_file);
  if (!db) return fail(db.error());
  return open(std::move(*db), std::make_shared<const SecretBox>(std::move(*secrets)));
}

Result<Inventory> Inventory::open(store::Db db, std::shared_ptr<const SecretBox> secrets) {
  if (auto r = store::migrate(db); !r) return fail(r.error());
  Inventory inv(std::move(db), std::move(secrets));
  if (auto r = inv.seal_clear_passwords(); !r) return fail(r.error());
  if (auto r = inv.load_boot_view(); !r) return fail(r.error());
  return inv;
}

Result<void> Inventory::seal_clear_passwords() {
  bool sealed_some = false;
  auto r = db_.transaction([&]() -> Result<void> {
    auto st = db_.prepare("SELECT id, bmc_password FROM nodes WHERE bmc_password IS NOT NULL AND bmc_password != ''");
    if (!st) return fail(st.error());
    auto rows = st->rows([](const store::Statement& row) { return std::pair{row.int64(0), row.text(1)}; });
    if (!rows) return fail(rows.error());
    st = db_.prepare("UPDATE nodes SET bmc_password = ? WHERE id = ?");
    if (!st) return fail(st.error());
    for (auto& [id, value] : *rows) {
      if (SecretBox::is_sealed(value)) continue;
      auto sealed = secrets_->seal(value);
      if (!sealed) return fail(sealed.error());
      st->reset();
      st->bind(1, std::string_view(*sealed)).bind(2, id);
      if (auto r = st->run(); !r) return r;
      sealed_some = true;
    }
    return ok();
  });
  if (!r || !sealed_some) return r;
  // The clear pages must not outlive the update in the WAL or the main file's free space.
  return db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

Inventory::Inventory(Inventory&& o) noexcept = default;
Inventory& Inventory::operator=(Inventory&& o) noexcept = default;

Result<void> Inventory::load_boot_view() {
  auto st = db_.prepare("SELECT id, name, mac, state, goal FROM nodes WHERE mac IS NOT NULL");
  if (!st) return fail(st.error());
  std::lock_guard lock(boot_->mu);
  return st->each_row([this](const store::Statement& row) {
    BootEntry e{row.int64(0), row.text(1), node_state_from(row.text(3)).value_or(NodeState::failed), row.text(4)};
    boot_->mac_of[e.id] = row.text(2);
    boot_->by_mac[row.text(2)] = std::move(e);
  });
}

void Inventory::refresh_boot_entry(std::int64_t id) {
  // Runs once the write's transaction has ended: whatever is in the database now is the truth,
  // committed or rolled back. A failed read drops the entry: the machine then gets silence
  // (it retries) rather than an answer from stale state.
  auto view = boot_;
  db_.after_transaction([db = db_, view, id]() mutable {
    auto st = db.prepare("SELECT name, mac, state, goal FROM nodes WHERE id = ?");
    std::lock_guard lock(view->mu);
    view->erase(id);
    if (!st) return;
    st->bind(1, id);
    auto row = st->step();
    if (!row || !*row || st->is_null(1)) return;
    view->mac_of[id] = st->text(1);
    view->by_mac[st->text(1)] =
        BootEntry{id, st->text(0), node_state_from(st->text(2)).value_or(NodeState::failed), st->text(3)};
  });
}

std::optional<BootEntry> Inventory::boot_entry(std::string_view mac) const {
  std::lock_guard lock(boot_->mu);
  auto it = boot_->by_mac.find(mac);
  if (it == boot_->by_mac.end()) return std::nullopt;
  return it->second;
}

Result<Node> Inventory::add_node(const NewNode& n) {
  if (!valid_node_name(n.name))
    return fail("node name '" + n.name + "' is not a hostname label (1-63 of a-z, 0-9, '-', not starting with '-')");
  std::int64_t id = 0;
  std::optional<std::string> sealed;
  if (n.bmc_password) {
    auto s = secrets_->seal(*n.bmc_password);
    if (!s) return fail(s.error());
    sealed = std::move(*s);
  }
  auto r = db_.transaction([&]() -> Result<void> {
    auto st = db_.prepare(
        "INSERT INTO nodes(name, mac, bmc, bmc_password, state, created_ms, updated_ms) VALUES(?,?,?,?,?,?,?)");
    if (!st) return fail(st.error());
    std::int64_t t = now_ms();
    st->bind(1, std::string_view(n.name)).bind(2, n.mac).bind(3, n.bmc).bind(4, sealed);
    st->bind(5, to_string(NodeState::enrolled)).bind(6, t).bind(7, t);
    if (auto e = st->run(); !e) {
      return fail(e.error().code, "node '" + n.name + "'" + (n.mac ? " / MAC " + *n.mac : std::string()) +
                                      " already exists");
    }
    id = db_.last_insert_id();
    auto ev = insert_event(db_, id, "enrol", "state", "enrolled", json{{"bmc", n.bmc.value_or("")}});
    if (!ev) return fail(ev.error());
    return ok();
  });
  if (!r) return fail(r.error());
  return written(id);
}

Result<Node> Inventory::discover(const std::string& mac) {
  std::string name = "auto-";
  for (char c : mac)
    if (c != ':') name.push_back(c);
  NewNode n{name, mac, std::nullopt, std::nullopt};
  Node node;
  auto r = db_.transaction([&]() -> Result<void> {
    auto added = add_node(n);
    if (!added) return fail(added.error());
    node = *added;
    auto ev = record_event(node.id, "discover", "log", "unknown machine " + mac + " PXE-booted; enrolled for inspection");
    if (!ev) return fail(ev.error());
    return ok();
  });
  if (!r) return fail(r.error());
  return node;
}

Result<Node> Inventory::written(std::int64_t id) {
  refresh_boot_entry(id);
  auto node = get(id);
  if (!node) return fail(node.error());
  if (!*node) return fail(std::make_error_code(std::errc::no_such_file_or_directory), "no node with id " + std::to_string(id));
  return **node;
}

Result<std::optional<Node>> Inventory::find_one(std::string_view where, std::string_view value) {
  auto st = db_.prepare(std::string("SELECT ") + kNodeColumns + " FROM nodes WHERE " + std::string(where));
  if (!st) return fail(st.error());
  st->bind(1, value);
  return st->first_row(node_from_row);
}

Result<std::optional<Node>> Inventory::get(std::int64_t id) {
  return find_one("id = CAST(? AS INTEGER)", std::to_string(id));
}

Result<std::optional<Node>> Inventory::find_by_name(std::string_view name) {
  return find_one("name = ?", name);
}

Result<std::optional<Node>> Inventory::find_by_mac(std::string_view mac) {
  return find_one("mac = ?", mac);
}

Result<std::vector<Node>> Inventory::list() {
  auto st = db_.prepare(std::string("SELECT ") + kNodeColumns + " FROM nodes ORDER BY name");
  if (!st) return fail(st.error());
  return st->rows(node_from_row);
}

Result<Node> Inventory::transition(std::int64_t id, NodeState to, std::string_view phase, std::string_view message,
                                   const json& data) {
  auto r = db_.transaction([&]() -> Result<void> {
    auto cur = get(id);
    if (!cur) return fail(cur.error());
    if (!*cur) return fail(std::make_error_code(std::errc::no_such_file_or_directory), "no node with id " + std::to_string(id));
    NodeState from = (*cur)->state;
    if (!transition_allowed(from, to))
      return fail(std::make_error_code(std::errc::operation_not_permitted),
                  "node " + (*cur)->name + ": cannot go from " + std::string(to_string(from)) + " to " +
                      std::string(to_string(to)));
    auto st = db_.prepare(
        "UPDATE nodes SET state = ?, phase = ?, failure = ?, updated_ms = ?, "
        "attempts = attempts + (CASE WHEN ? = 'deploying' THEN 1 ELSE 0 END) WHERE id = ?");
    if (!st) return fail(st.error());
    std::string_view failure = to == NodeState::failed ? message : std::string_view{};
    st->bind(1, to_string(to)).bind(2, phase).bind(3, failure).bind(4, now_ms()).bind(5, to_string(to)).bind(6, id);
    if (auto e = st->run(); !e) return e;
    json d = data;
    d["from"] = std::string(to_string(from));
    d["to"] = std::string(to_string(to));
    auto ev = insert_event(db_, id, phase, to == NodeState::failed ? "error" : "state", message, d);
    if (!ev) return fail(ev.error());
    return ok();
  });
  if (!r) return fail(r.error());
  return written(id);
}

Result<std::int64_t> Inventory::record_event(std::int64_t id, std::string_view phase, std::string_view kind,
                                             std::string_view message, const json& data) {
  return insert_event(db_, id, phase, kind, message, data);
}

Result<std::vector<Event>> Inventory::events(std::int64_t node_id, std::int64_t after_id, int limit) {
  std::string sql =
      "SELECT e.id, e.node_id, COALESCE(n.name, ''), e.ts_ms, e.phase, e.kind, e.message, e.data "
      "FROM events e LEFT JOIN nodes n ON n.id = e.node_id WHERE e.id > ?";
  if (node_id > 0) sql += " AND e.node_id = ?";
  sql += " ORDER BY e.id LIMIT " + std::to_string(limit);
  auto st = db_.prepare(sql);
  if (!st) return fail(st.error());
  st->bind(1, after_id);
  if (node_id > 0) st->bind(2, node_id);
  return st->rows([](const store::Statement& row) {
    return Event{row.int64(0), row.int64(1), row.text(2), row.int64(3), row.text(4),
                 row.text(5),  row.text(6),  parse_or_empty(row.text(7), json::object())};
  });
}

// One text column of one node, stamped. `column` is always a literal from this file, never input.
Result<void> Inventory::set_column(std::int64_t id, std::string_view column, std::string_view value) {
  auto st = db_.prepare("UPDATE nodes SET " + std::string(column) + " = ?, updated_ms = ? WHERE id = ?");
  if (!st) return fail(st.error());
  st->bind(1, value).bind(2, now_ms()).bind(3, id);
  if (auto r = st->run(); !r) return r;
  if (column == "goal" || column == "mac") refresh_boot_entry(id);
  return ok();
}

Result<void> Inventory::set_facts(std::int64_t id, const std::string& facts_json) { return set_column(id, "facts", facts_json); }

Result<void> Inventory::set_match(std::int64_t id, const std::string& role, const json& allocation,
                                  const json& variables) {
  auto st = db_.prepare("UPDATE nodes SET role = ?, allocation = ?, variables = ?, updated_ms = ? WHERE id = ?");
  if (!st) return fail(st.error());
  st->bind(1, std::string_view(role)).bind(2, std::string_view(allocation.dump()));
  st->bind(3, std::string_view(variables.dump())).bind(4, now_ms()).bind(5, id);
  return st->run();
}

Result<void> Inventory::set_mac(std::int64_t id, const std::string& mac) { return set_column(id, "mac", mac); }

Result<void> Inventory::set_goal(std::int64_t id, std::string_view goal) { return set_column(id, "goal", goal); }

Result<void> Inventory::set_image(std::int64_t id, std::string_view image) { return set_column(id, "image", image); }

Result<std::optional<std::string>> Inventory::bmc_password(std::int64_t id) {
  auto st = db_.prepare("SELECT bmc_password FROM nodes WHERE id = ?");
  if (!st) return fail(st.error());
  st->bind(1, id);
  auto row = st->step();
  if (!row) return fail(row.error());
  if (!*row || st->is_null(0) || st->text(0).empty()) return std::optional<std::string>{};
  auto plain = secrets_->open(st->text(0));
  if (!plain) return fail(plain.error());
  return std::optional<std::string>{std::move(*plain)};
}

Result<std::string> Inventory::issue_token(std::int64_t id) {
  std::string token = random_token();
  if (auto r = set_token(id, token); !r) return fail(r.error());
  return token;
}

Result<void> Inventory::set_token(std::int64_t id, std::string_view token) {
  auto st = db_.prepare("UPDATE nodes SET token_hash = ? WHERE id = ?");
  if (!st) return fail(st.error());
  st->bind(1, std::string_view(sha256_hex(token))).bind(2, id);
  if (auto r = st->run(); !r) return fail(r.error());
  if (db_.changes() != 1) return fail(std::make_error_code(std::errc::no_such_file_or_directory), "no node with id " + std::to_string(id));
  return ok();
}

Result<std::optional<Node>> Inventory::node_for_token(std::string_view token) {
  if (token.empty()) return std::optional<Node>{};
  // Looked up by digest: the index compare is on a hash of the secret, never the secret itself.
  return find_one("token_hash = ?", sha256_hex(token));
}

Result<void> Inventory::remove(std::int64_t id) {
  auto st = db_.prepare("DELETE FROM nodes WHERE id = ?");
  if (!st) return fail(st.error());
  st->bind(1, id);
  if (auto r = st->run(); !r) return r;
  refresh_boot_entry(id);
  return ok();
}

json to_json(const Node& n) {
  json j = {{"id", n.id},
            {"name", n.name},
            {"mac", n.mac ? json(*n.mac) : json(nullptr)},
            {"uuid", n.uuid ? json(*n.uuid) : json(nullptr)},
            {"bmc", n.bmc ? json(*n.bmc) : json(nullptr)},
            {"bmc_password_set", n.has_bmc_password},
            {"state", std::string(to_string(n.state))},
            {"phase", n.phase},
            {"role", n.role},
            {"allocation", n.allocation},
            {"variables", n.variables},
            {"attempts", n.attempts},
            {"goal", n.goal},
            {"image", n.image.empty() ? json(nullptr) : json(n.image)},
            {"created_ms", n.created_ms},
            {"updated_ms", n.updated_ms}};
  if (n.state == NodeState::failed) j["failure"] = n.failure;
  return j;
}

json to_json(const Event& e) {
  return json{{"id", e.id},       {"node_id", e.node_id}, {"node", e.node_name}, {"ts_ms", e.ts_ms},
              {"phase", e.phase}, {"kind", e.kind},       {"message", e.message}, {"data", e.data}};
}

}  // namespace ingot::inventory
