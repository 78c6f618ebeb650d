// `ingot rollout start|show|pause|resume|abort` and `ingot node upgrade`: image upgrades of a
// role's nodes batch by batch (canary first), or of one node, through the REST API. --dry-run
// prints per node what would change; --wait follows the events until the end.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <set>
#include <thread>

#include "provisioner/cli/ingot/api_client.h"

namespace {
using nlohmann::json;
using namespace ingot::cli;

constexpr const char* kStartUsage =
    "usage: ingot rollout start ROLE --to V [--from V] [--canary N] [--batch N] [--max-failures N]\n"
    "                           [--drift overwrite|stop] [--dry-run] [--wait [--timeout S]] [--json]";
constexpr const char* kUpgradeUsage =
    "usage: ingot node upgrade NAME --to V [--dry-run] [--drift overwrite|stop] [--wait [--timeout S]] [--json]";
// How long --wait follows when not told: a rollout of a few nodes with a reboot each.
constexpr int kDefaultWaitS = 3600;

std::optional<int> int_flag(const Flags& f, const char* name) {
  auto v = f.get(name);
  if (!v) return std::nullopt;
  try {
    return std::stoi(*v);
  } catch (...) {
    return -1;  // the server refuses it with a message naming the field
  }
}

// One positional and --to, and a sane --timeout: the seconds --wait follows, or 0 after the
// usage or the error went to stderr.
int checked_args(const Flags& f, const char* usage) {
  if (f.positional().size() != 1 || !f.get("to")) {
    std::cerr << usage << "\n";
    return 0;
  }
  int wait_s = int_flag(f, "timeout").value_or(kDefaultWaitS);
  if (wait_s <= 0) std::cerr << "ingot: --timeout must be a number of seconds > 0\n";
  return wait_s > 0 ? wait_s : 0;
}

void print_plans(const json& r) {
  std::vector<std::vector<std::string>> rows;
  for (auto& n : r["nodes"]) {
    if (n.contains("error")) {
      rows.push_back({cell(n, "node"), cell(n, "from"), cell(n, "to"), "error: " + cell(n, "error")});
      continue;
    }
    const json& p = n["plan"];
    std::string reboot = p["reboot"].get<bool>() ? "yes" : "no";
    if (!p["reboot_because"].empty()) reboot += " (" + p["reboot_because"][0].get<std::string>() + ")";
    rows.push_back({cell(n, "node"), cell(n, "from"), cell(n, "to"), cell(p, "added"), cell(p, "changed"), cell(p, "removed"),
                    cell(p, "objects"), cell(p, "deltas"), cell(p, "bytes"), reboot});
  }
  print_table({"NODE", "FROM", "TO", "ADDED", "CHANGED", "REMOVED", "OBJECTS", "DELTAS", "BYTES", "REBOOT"}, rows);
  if (r.contains("skipped"))
    for (auto& s : r["skipped"]) std::cout << "skipped " << cell(s, "node") << ": " << cell(s, "reason") << "\n";
  std::cout << "bytes: stored deltas where the server holds one for the pair, else compressed objects\n";
}

void print_event(const json& e) {
  std::cout << time_of(e.value("ts_ms", 0LL)) << "  " << std::left << std::setw(12) << (e.value("node", "").empty() ? "rollout" : e.value("node", ""))
            << std::setw(11) << e.value("kind", "") << e.value("message", "") << "\n";
}

void print_rollout(const json& r) {
  std::cout << "rollout " << cell(r, "id") << ": " << cell(r, "role") << " " << (r["from"].is_null() ? "any" : cell(r, "from"))
            << " -> " << cell(r, "to") << "  state " << cell(r, "state");
  if (!r.value("reason", "").empty()) std::cout << " (" << r["reason"].get<std::string>() << ")";
  std::cout << "\ncanary " << cell(r, "canary") << ", batch " << cell(r, "batch") << ", max failures " << cell(r, "max_failures")
            << ", drift " << cell(r, "drift") << "\n\n";
  std::vector<std::vector<std::string>> rows;
  for (auto& n : r["nodes"])
    rows.push_back({cell(n, "node"), cell(n, "batch"), cell(n, "from"), cell(n, "to"), cell(n, "status"), cell(n, "message")});
  print_table({"NODE", "BATCH", "FROM", "TO", "STATUS", "MESSAGE"}, rows);
  std::cout << "\nevents:\n";
  for (auto& e : r["events"]) print_event(e);
}

// Follows a rollout's events until it is done (0), stopped or aborted (1), or time is up (1).
int wait_rollout(ingot::ServerClient& c, std::int64_t id, int timeout_s, std::int64_t seen) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = c.get_json("/api/v1/rollouts/" + std::to_string(id));
    if (r) {
      for (auto& e : (*r)["events"])
        if (e.value("id", 0LL) > seen) {
          print_event(e);
          seen = e.value("id", 0LL);
        }
      std::string st = r->value("state", "");
      if (st == "done") return 0;
      if (st == "stopped" || st == "aborted") return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  std::cerr << "ingot rollout: gave up waiting for rollout " << id << " after " << timeout_s << " s\n";
  return 1;
}

int rollout_start(const Args& a) {
  Flags f(a, with_conn({"to", "from", "canary", "batch", "max-failures", "drift", "timeout"}), {"json", "dry-run", "wait"});
  auto c = connect(f, "rollout start");
  if (!c) return 2;
  int wait_s = checked_args(f, kStartUsage);
  if (wait_s <= 0) return 2;
  json body = {{"role", f.positional()[0]}, {"to", *f.get("to")}, {"dry_run", f.has("dry-run")}};
  if (auto v = f.get("from")) body["from"] = *v;
  if (auto v = f.get("drift")) body["drift"] = *v;
  for (auto [flag, key] : {std::pair{"canary", "canary"}, {"batch", "batch"}, {"max-failures", "max_failures"}})
    if (auto v = int_flag(f, flag)) body[key] = *v;
  auto r = c->client->post_json("/api/v1/rollouts", body);
  if (report(r, "rollout start")) return 1;
  if (c->json_out) std::cout << r->dump(2) << "\n";
  else if (f.has("dry-run")) print_plans(*r);
  else {
    std::cout << "rollout " << cell(*r, "id") << ": " << cell(*r, "role") << " -> " << cell(*r, "to") << ", "
              << (*r)["nodes"].size() << " node(s), " << cell(*r, "state") << "\n";
    for (auto& s : (*r)["skipped"]) std::cout << "skipped " << cell(s, "node") << ": " << cell(s, "reason") << "\n";
  }
  if (f.has("wait") && !f.has("dry-run"))
    return wait_rollout(*c->client, (*r)["id"].get<std::int64_t>(), wait_s, 0);
  return 0;
}

int rollout_show(const Args& a) {
  Flags f(a, with_conn({}), {"json"});
  auto c = connect(f, "rollout show");
  if (!c) return 2;
  if (f.positional().size() > 1) {
    std::cerr << "usage: ingot rollout show [ID] [--json]\n";
    return 2;
  }
  std::string path = "/api/v1/rollouts" + (f.positional().empty() ? std::string() : "/" + f.positional()[0]);
  auto r = c->client->get_json(path);
  if (report(r, "rollout show")) return 1;
  if (c->json_out) std::cout << r->dump(2) << "\n";
  else if (!f.positional().empty()) print_rollout(*r);
  else {
    std::vector<std::vector<std::string>> rows;
    for (auto& x : *r) {
      const json& n = x["counts"];
      rows.push_back({cell(x, "id"), cell(x, "role"), x["from"].is_null() ? "any" : cell(x, "from"), cell(x, "to"), cell(x, "state"),
                      cell(n, "done") + "/" + std::to_string(n["pending"].get<int>() + n["assigned"].get<int>() +
                                                             n["running"].get<int>() + n["done"].get<int>() +
                                                             n["failed"].get<int>() + n["cancelled"].get<int>()),
                      cell(n, "failed")});
    }
    print_table({"ID", "ROLE", "FROM", "TO", "STATE", "DONE", "FAILED"}, rows);
  }
  return 0;
}

int rollout_act(const Args& a, const char* action) {
  Flags f(a, with_conn({}), {"json"});
  std::string cmd = std::string("rollout ") + action;
  auto c = connect(f, cmd.c_str());
  if (!c) return 2;
  if (f.positional().size() != 1) {
    std::cerr << "usage: ingot rollout " << action << " ID\n";
    return 2;
  }
  auto r = c->client->post_json("/api/v1/rollouts/" + f.positional()[0] + "/" + action, json::object());
  if (report(r, cmd.c_str())) return 1;
  if (c->json_out) std::cout << r->dump(2) << "\n";
  else std::cout << "rollout " << cell(*r, "id") << ": " << cell(*r, "state") << "\n";
  return 0;
}

// Follows one node's upgrade events until a final one: 0 on done, 1 otherwise.
int wait_node(ingot::ServerClient& c, const std::string& name, std::int64_t after, int timeout_s) {
  const std::set<std::string> final_kinds = {"done", "failed", "rolled_back", "timed_out", "cancelled"};
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto evs = c.get_json("/api/v1/events?after=" + std::to_string(after)))
      for (auto& e : *evs) {
        after = e.value("id", after);
        if (e.value("node", "") != name || e.value("phase", "") != "upgrade") continue;
        print_event(e);
        if (final_kinds.count(e.value("kind", ""))) return e.value("kind", "") == "done" ? 0 : 1;
      }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  std::cerr << "ingot node upgrade: gave up waiting for " << name << " after " << timeout_s << " s\n";
  return 1;
}

int node_upgrade(const Args& a) {
  Flags f(a, with_conn({"to", "drift", "timeout"}), {"json", "dry-run", "wait"});
  auto c = connect(f, "node upgrade");
  if (!c) return 2;
  int wait_s = checked_args(f, kUpgradeUsage);
  if (wait_s <= 0) return 2;
  const std::string name = f.positional()[0];
  json body = {{"to", *f.get("to")}, {"dry_run", f.has("dry-run")}};
  if (auto v = f.get("drift")) body["drift"] = *v;
  std::int64_t after = 0;
  if (auto all = c->client->get_json("/api/v1/events"); all && !all->empty()) after = all->back().value("id", 0LL);
  auto r = c->client->post_json("/api/v1/nodes/" + name + "/upgrade", body);
  if (report(r, "node upgrade")) return 1;
  if (c->json_out) std::cout << r->dump(2) << "\n";
  else if (f.has("dry-run")) print_plans(*r);
  else std::cout << name << ": " << cell(*r, "from") << " -> " << cell(*r, "to") << " " << cell(*r, "status") << "\n";
  if (f.has("wait") && !f.has("dry-run"))
    return wait_node(*c->client, name, after, wait_s);
  return 0;
}

}  // namespace

INGOT_COMMAND("rollout start", "upgrade a role's nodes to a version, canary first, batch by batch", rollout_start);
INGOT_COMMAND("rollout show", "list rollouts, or show one: nodes, per-node status, events", rollout_show);
INGOT_COMMAND("rollout pause", "pause a rollout: no new node starts", [](const Args& a) { return rollout_act(a, "pause"); });
INGOT_COMMAND("rollout resume", "resume a paused rollout", [](const Args& a) { return rollout_act(a, "resume"); });
INGOT_COMMAND("rollout abort", "abort a rollout: no new node starts, pending ones are cancelled",
              [](const Args& a) { return rollout_act(a, "abort"); });
INGOT_COMMAND("node upgrade", "upgrade one node to a version of its image (--dry-run: what would change)", node_upgrade);
