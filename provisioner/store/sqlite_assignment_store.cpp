#include "provisioner/store/sqlite_assignment_store.h"

#include <nlohmann/json.hpp>

namespace ingot::store {
namespace {
using nlohmann::json;
using hwmatch::Assignment;

std::string bindings_json(const hwmatch::Bindings& b) {
  json j = json::array();
  for (auto& x : b) j.push_back({{"name", x.name}, {"value", x.value}, {"exported", x.exported}});
  return j.dump();
}

hwmatch::Bindings bindings_from(const std::string& s) {
  hwmatch::Bindings out;
  auto j = json::parse(s, nullptr, false);
  if (!j.is_array()) return out;
  for (auto& x : j) out.push_back({x.value("name", ""), x.value("value", ""), x.value("exported", false)});
  return out;
}

Assignment from_row(const Statement& st) {
  Assignment a;
  a.node = st.text(0);
  a.role = st.text(1);
  a.bindings = bindings_from(st.text(2));
  auto alloc = json::parse(st.text(3), nullptr, false);
  if (alloc.is_object())
    for (auto& [k, v] : alloc.items()) a.allocation[k] = v.is_string() ? v.get<std::string>() : v.dump();
  a.state = st.text(4) == "committed" ? Assignment::State::committed : Assignment::State::reserved;
  a.since = st.int64(5);
  return a;
}

constexpr const char* kColumns = "node, role, bindings, allocation, state, since";
}  // namespace

Result<std::optional<Assignment>> SqliteAssignmentStore::find(const std::string& node) {
  auto held = db_.lock();
  auto st = db_.prepare(std::string("SELECT ") + kColumns + " FROM assignments WHERE node = ?");
  if (!st) return fail(st.error());
  st->bind(1, std::string_view(node));
  return st->first_row(from_row);
}

Result<bool> SqliteAssignmentStore::reserve(const Assignment& a, std::optional<std::size_t> limit) {
  auto held = db_.lock();
  bool stored = false;
  auto r = db_.transaction([&]() -> Result<void> {
    if (limit) {
      auto count = db_.prepare("SELECT COUNT(*) FROM assignments WHERE role = ? AND node != ?");
      if (!count) return fail(count.error());
      count->bind(1, std::string_view(a.role)).bind(2, std::string_view(a.node));
      auto row = count->step();
      if (!row) return fail(row.error());
      if (static_cast<std::size_t>(count->int64(0)) >= *limit) return ok();
    }
    auto ins = db_.prepare(
        "INSERT OR REPLACE INTO assignments(node, role, bindings, allocation, state, since) VALUES(?,?,?,?,?,?)");
    if (!ins) return fail(ins.error());
    json alloc = json::object();
    for (auto& [k, v] : a.allocation) alloc[k] = v;
    ins->bind(1, std::string_view(a.node)).bind(2, std::string_view(a.role));
    ins->bind(3, std::string_view(bindings_json(a.bindings))).bind(4, std::string_view(alloc.dump()));
    ins->bind(5, std::string_view(a.state == Assignment::State::committed ? "committed" : "reserved")).bind(6, a.since);
    if (auto e = ins->run(); !e) return e;
    stored = true;
    return ok();
  });
  if (!r) return fail(r.error());
  return stored;
}

Result<void> SqliteAssignmentStore::run_for_node(std::string_view sql, const std::string& node) {
  auto st = db_.prepare(sql);
  if (!st) return fail(st.error());
  st->bind(1, std::string_view(node));
  return st->run();
}

Result<void> SqliteAssignmentStore::commit(const std::string& node) {
  return run_for_node("UPDATE assignments SET state = 'committed' WHERE node = ?", node);
}

Result<void> SqliteAssignmentStore::release(const std::string& node) {
  return run_for_node("DELETE FROM assignments WHERE node = ?", node);
}

Result<std::vector<Assignment>> SqliteAssignmentStore::list() {
  auto held = db_.lock();
  auto st = db_.prepare(std::string("SELECT ") + kColumns + " FROM assignments ORDER BY node");
  if (!st) return fail(st.error());
  return st->rows(from_row);
}

}  // namespace ingot::store
