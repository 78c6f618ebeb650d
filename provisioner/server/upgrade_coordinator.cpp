// UpgradeCoordinator, the running part: agents' polls and reports, the rollout machine's
// decisions applied to the database, operator actions, and the sweep for silent agents.
#include "provisioner/server/upgrade_coordinator.h"

#include <array>

#include "common/log.h"

namespace ingot::server {
namespace {
using inventory::Node;
using nlohmann::json;
using rollout::RolloutState;

// What an agent may report (provisioner/UPGRADES.md).
constexpr std::array<std::string_view, 9> kReportStatuses = {"started",   "drift",     "staged", "switching", "switched",
                                                             "rebooting", "done",      "failed", "rolled_back"};

bool known_status(std::string_view s) {
  for (auto k : kReportStatuses)
    if (k == s) return true;
  return false;
}

json counts_of(const std::vector<rollout::UpgradeRecord>& ups) {
  // Indexed by SlotStatus.
  constexpr std::array<const char*, 6> kSlotNames = {"pending", "assigned", "running", "done", "failed", "cancelled"};
  std::array<int, kSlotNames.size()> n{};
  for (auto& u : ups) n[static_cast<std::size_t>(rollout::slot_status(u.status))]++;
  json c = json::object();
  for (std::size_t i = 0; i < n.size(); ++i) c[kSlotNames[i]] = n[i];
  return c;
}

}  // namespace

UpgradeCoordinator::UpgradeCoordinator(inventory::Inventory& inv, rollout::RolloutStore store,
                                       std::filesystem::path image_store, std::int64_t report_timeout_ms,
                                       ImageNameFn image_name_of)
    : inv_(inv),
      store_(std::move(store)),
      image_store_(std::move(image_store)),
      timeout_ms_(report_timeout_ms),
      image_name_of_(std::move(image_name_of)) {}

Result<void> UpgradeCoordinator::advance_locked(std::int64_t id) {
  auto rec = store_.rollout(id);
  if (!rec) return fail(rec.error());
  if (!*rec) return fail("no rollout " + std::to_string(id));
  const auto& r = **rec;
  auto ups = store_.upgrades_of(id);
  if (!ups) return fail(ups.error());
  std::vector<rollout::Slot> slots;
  for (auto& u : *ups) slots.push_back({rollout::slot_status(u.status), u.updated_ms});
  auto settings = r.settings;
  settings.report_timeout_ms = timeout_ms_;
  auto d = rollout::decide(settings, r.state, slots, inventory::now_ms());
  if (d.start.empty() && d.time_out.empty() && d.cancel.empty() && !d.changed_state) return ok();
  return store_.transaction([&]() -> Result<void> {
    for (auto i : d.time_out) {
      const auto& u = (*ups)[i];
      std::string why = "no report from the agent for " + std::to_string(timeout_ms_ / 1000) + " s (last: " + u.status + ")";
      if (auto e = store_.set_upgrade_status(u.id, "timed_out", why, false); !e) return e;
      if (auto e = store_.event(u.node_id, id, "timed_out", why + ": counted as failed"); !e) return e;
    }
    for (auto i : d.cancel) {
      const auto& u = (*ups)[i];
      std::string why = "cancelled: the rollout is " + std::string(rollout::to_string(d.state));
      if (auto e = store_.set_upgrade_status(u.id, "cancelled", why, false); !e) return e;
      if (auto e = store_.event(u.node_id, id, "cancelled", why); !e) return e;
    }
    for (auto i : d.start) {
      const auto& u = (*ups)[i];
      auto batch = rollout::batch_of(r.settings, i);
      std::string what = "assigned " + u.to_image + " (rollout " + std::to_string(id) + ", " +
                         (batch == 0 && r.settings.canary > 0 ? std::string("canary") : "batch " + std::to_string(batch)) + ")";
      if (auto e = store_.set_upgrade_status(u.id, "assigned", "", true); !e) return e;
      if (auto e = store_.event(u.node_id, id, "assigned", what, json{{"from", u.from_image}, {"to", u.to_image}}); !e) return e;
    }
    if (d.changed_state) {
      if (auto e = store_.set_rollout_state(id, d.state, d.reason); !e) return e;
      if (auto e = store_.event(0, id, std::string(rollout::to_string(d.state)),
                                "rollout " + std::string(rollout::to_string(d.state)) + ": " + d.reason);
          !e)
        return e;
      INGOT_LOG(info, "rollout") << "rollout " << id << " " << rollout::to_string(d.state) << ": " << d.reason;
    }
    return ok();
  });
}

Result<void> UpgradeCoordinator::expire_single_locked(const rollout::UpgradeRecord& u, std::int64_t now) {
  if (u.rollout_id != 0 || timeout_ms_ <= 0 || now - u.updated_ms <= timeout_ms_) return ok();
  std::string why = "no report from the agent for " + std::to_string(timeout_ms_ / 1000) + " s (last: " + u.status + ")";
  return store_.transaction([&]() -> Result<void> {
    if (auto e = store_.set_upgrade_status(u.id, "timed_out", why, false); !e) return e;
    return store_.event(u.node_id, 0, "timed_out", why + ": counted as failed");
  });
}

Result<void> UpgradeCoordinator::cancel_node(const Node& n, const std::string& why) {
  std::lock_guard lock(mu_);
  auto open = store_.open_upgrade(n.id);
  if (!open) return fail(open.error());
  if (!*open) return ok();
  const auto u = **open;
  return store_.transaction([&]() -> Result<void> {
    if (auto e = store_.set_upgrade_status(u.id, "cancelled", why, false); !e) return e;
    if (auto e = store_.event(n.id, u.rollout_id, "cancelled", "upgrade to " + u.to_image + " cancelled: " + why); !e)
      return e;
    return u.rollout_id ? advance_locked(u.rollout_id) : ok();
  });
}

void UpgradeCoordinator::sweep() {
  std::lock_guard lock(mu_);
  std::int64_t now = inventory::now_ms();
  auto fl = store_.in_flight();
  if (!fl) INGOT_LOG(error, "rollout") << "upgrades in flight: " << fl.error().message();
  else
    for (auto& u : *fl)
      if (auto r = expire_single_locked(u, now); !r) INGOT_LOG(error, "rollout") << r.error().message();
  auto all = store_.rollouts();
  if (!all) {
    INGOT_LOG(error, "rollout") << all.error().message();
    return;
  }
  for (auto& r : *all)
    if (!rollout::is_terminal(r.state))
      if (auto a = advance_locked(r.id); !a) INGOT_LOG(error, "rollout") << "rollout " << r.id << ": " << a.error().message();
}

Result<std::optional<json>> UpgradeCoordinator::agent_poll(const Node& n) {
  std::lock_guard lock(mu_);
  auto u = store_.active_upgrade(n.id);
  if (!u) return fail(u.error());
  if (!*u) return std::optional<json>{};
  const auto& up = **u;
  return std::optional<json>{json{{"target", up.to_image},
                                  {"rollout", up.rollout_id ? json(up.rollout_id) : json(nullptr)},
                                  {"drift", up.drift}}};
}

Result<json> UpgradeCoordinator::agent_report(const Node& n, const json& body) {
  if (!body.is_object()) return refuse(ServerError::bad_request, "expected {status, from, to, rollout, message, data}");
  auto str = [&](const char* k) -> std::optional<std::string> {
    if (!body.contains(k) || body[k].is_null()) return std::string();
    if (!body[k].is_string()) return std::nullopt;
    return body[k].get<std::string>();
  };
  auto status = str("status"), to = str("to"), from = str("from"), message = str("message");
  if (!status || !to || !from || !message) return refuse(ServerError::bad_request, "status, from, to and message must be strings");
  if (!known_status(*status)) return refuse(ServerError::bad_request, "status '" + *status + "' is not one of started, drift, staged, switching, switched, rebooting, done, failed, rolled_back");
  if (to->empty()) return refuse(ServerError::bad_request, "to is required");
  if (body.contains("rollout") && !body["rollout"].is_null() && !body["rollout"].is_number_integer())
    return refuse(ServerError::bad_request, "rollout must be an integer or null");
  std::int64_t rollout_id = body.contains("rollout") && body["rollout"].is_number_integer() ? body["rollout"].get<std::int64_t>() : 0;
  json data = body.contains("data") && body["data"].is_object() ? body["data"] : json::object();
  if (data.dump().size() > kMaxReportDataBytes) {
    // The step itself still counts: keep its figures, drop the lists (drift paths) that made it big.
    json kept = {{"truncated", true}};
    for (auto& [k, v] : data.items())
      if (!v.is_array() && !v.is_object() && !(v.is_string() && v.get<std::string>().size() > kMaxReportMessage)) kept[k] = v;
    data = kept;
  }
  if (message->size() > kMaxReportMessage) message->resize(kMaxReportMessage);

  std::lock_guard lock(mu_);
  auto active = store_.active_upgrade(n.id);
  if (!active) return fail(active.error());
  if (!*active) return refuse(ServerError::conflict, "node " + n.name + " has no upgrade assigned");
  const auto& u = **active;
  if (u.to_image != *to) return refuse(ServerError::conflict, "node " + n.name + " is assigned " + u.to_image + ", not " + *to);
  if (u.rollout_id != rollout_id)
    return refuse(ServerError::conflict, "node " + n.name + "'s upgrade is " + (u.rollout_id ? "in rollout " + std::to_string(u.rollout_id) : std::string("not in a rollout")) +
                             ", not " + (rollout_id ? "rollout " + std::to_string(rollout_id) : std::string("without one")));
  data["status"] = *status;
  data["from"] = *from;
  data["to"] = *to;
  std::string text = *status + (message->empty() ? "" : ": " + *message);
  auto written = store_.transaction([&]() -> Result<void> {
    if (auto e = store_.set_upgrade_status(u.id, *status, *message, false); !e) return e;
    if (*status == "done")
      if (auto e = store_.set_node_image(n.id, *to); !e) return e;
    return store_.event(n.id, u.rollout_id, *status, text, data);
  });
  if (!written) return fail(written.error());
  if (u.rollout_id)
    if (auto a = advance_locked(u.rollout_id); !a) return fail(a.error());
  return json::object();
}

Result<json> UpgradeCoordinator::show_locked(std::int64_t id) {
  auto rec = store_.rollout(id);
  if (!rec) return fail(rec.error());
  if (!*rec) return refuse(ServerError::not_found, "no rollout " + std::to_string(id));
  auto ups = store_.upgrades_of(id);
  if (!ups) return fail(ups.error());
  json j = rollout::to_json(**rec);
  j["nodes"] = json::array();
  for (std::size_t i = 0; i < ups->size(); ++i) {
    json u = rollout::to_json((*ups)[i]);
    u["batch"] = rollout::batch_of((*rec)->settings, i);
    j["nodes"].push_back(u);
  }
  j["counts"] = counts_of(*ups);
  j["events"] = json::array();
  auto evs = store_.rollout_events(id);
  if (!evs) return fail(evs.error());
  for (auto& e : *evs) j["events"].push_back(rollout::to_json(e));
  return j;
}

Result<json> UpgradeCoordinator::show_rollout(std::int64_t id) {
  std::lock_guard lock(mu_);
  return show_locked(id);
}

Result<json> UpgradeCoordinator::list_rollouts() {
  std::lock_guard lock(mu_);
  auto all = store_.rollouts();
  if (!all) return fail(all.error());
  json out = json::array();
  for (auto& r : *all) {
    json j = rollout::to_json(r);
    if (auto ups = store_.upgrades_of(r.id)) j["counts"] = counts_of(*ups);
    out.push_back(j);
  }
  return out;
}

Result<json> UpgradeCoordinator::rollout_action(std::int64_t id, const std::string& action) {
  if (action != "pause" && action != "resume" && action != "abort")
    return refuse(ServerError::not_found, "unknown action '" + action + "' (pause, resume, abort)");
  std::lock_guard lock(mu_);
  auto rec = store_.rollout(id);
  if (!rec) return fail(rec.error());
  if (!*rec) return refuse(ServerError::not_found, "no rollout " + std::to_string(id));
  auto next = rollout::apply_action((*rec)->state, action);
  if (!next) return refuse(ServerError::conflict, "rollout " + std::to_string(id) + ": " + next.error().message());
  std::string what = std::string(rollout::to_string(*next)) + " by the operator";
  auto written = store_.transaction([&]() -> Result<void> {
    if (auto e = store_.set_rollout_state(id, *next, what); !e) return e;
    return store_.event(0, id, std::string(rollout::to_string(*next)), "rollout " + what);
  });
  if (!written) return fail(written.error());
  if (auto a = advance_locked(id); !a) return fail(a.error());
  return show_locked(id);
}

}  // namespace ingot::server
