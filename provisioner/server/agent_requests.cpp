// Provisioner, the agent's side: facts (the match and the plan), phase reports, the node's
// config files, the deployed system's callback. Each request is one transaction: a failed
// write answers the error and leaves the node as it was.
#include "common/log.h"
#include "provisioner/deploy/node_config.h"
#include "provisioner/server/json_fields.h"
#include "provisioner/server/provisioner.h"

namespace ingot::server {
using inventory::Node;
using inventory::NodeState;
using nlohmann::json;

Result<json> Provisioner::agent_facts(const Node& n, const json& body) {
  if (!body.is_object() || !body.contains("facts")) return refuse(ServerError::bad_request, "expected {\"facts\": [...]}");
  std::string facts_text = body["facts"].dump();
  auto facts = hwmatch::facts_from_json(facts_text);
  if (!facts) return refuse(ServerError::bad_request, facts.error().message());
  json plan;
  std::optional<Error> refusal;
  auto written = db_.transaction([&]() -> Result<void> {
    auto m = match(n, facts_text, *facts, refusal);
    if (!m) return fail(m.error());
    plan = std::move(*m);
    return ok();
  });
  if (!written) return fail(written.error());  // rolled back: facts, reservation, state as they were
  if (refusal) return fail(*refusal);          // written (the node failed), then refused
  return plan;
}

Result<json> Provisioner::match(const Node& n, const std::string& facts_text, const hwmatch::Facts& facts,
                                std::optional<Error>& refusal) {
  if (auto r = inv_.set_facts(n.id, facts_text); !r) return fail(r.error());
  auto ev = inv_.record_event(n.id, "inspect", "log", "facts received: " + std::to_string(facts.size()) + " tuples");
  if (!ev) return fail(ev.error());
  // The state as of this transaction, not of the token lookup: the boot writer may have moved
  // the node since.
  auto fresh = inv_.get(n.id);
  if (!fresh) return fail(fresh.error());
  if (!*fresh) return refuse(ServerError::not_found, "node " + n.name + " is gone");
  Node cur = **fresh;
  if (cur.state != NodeState::inspecting) {
    auto moved = inv_.transition(cur.id, NodeState::inspecting, "inspect", "the machine is back in the deploy ramdisk");
    if (!moved) return fail(as_conflict(moved.error()));
    cur = *moved;
  }
  if (cur.goal == boot::kDiscoveredGoal) {
    // Discovered, not approved: its facts are kept for the operator; no role slot, no pool
    // address is taken until `ingot node deploy` says this machine is ours.
    auto held = inv_.record_event(cur.id, "inspect", "log", "discovered: facts kept; nothing reserved until the operator deploys it");
    if (!held) return fail(held.error());
    return json{{"action", "inspect"}, {"node", cur.name}, {"after", "poweroff"}};
  }
  auto refuse_with = [&](const std::string& why, const std::string& answer) -> Result<json> {
    if (auto f = fail_node(cur, "match", why); !f) return fail(f.error());
    refusal = Error{make_error_code(ServerError::conflict), answer};
    return json();
  };
  if (!selector_) return refuse_with("the server has no roles (start it with --roles DIR)", "no roles configured");
  auto decision = selector_->select(cur.name, facts, inventory::now_ms() / 1000, /*explain=*/true);
  if (!decision) return fail(decision.error());
  if (!decision->assigned) {
    std::string why = "no role matches:";
    for (auto& o : decision->outcomes) why += "\n  " + o.role + ": " + hwmatch::outcome_text(o.kind) + " — " + o.detail;
    // The roles' specs (lines, file names) are the operator's to read, not any machine's.
    return refuse_with(why, "no role matches this machine: the operator sees why in `ingot node show " + cur.name + "`");
  }
  const auto& a = decision->assignment;
  json alloc = json::object(), vars = json::object();
  for (auto& [k, v] : a.allocation) alloc[k] = v;
  for (auto& b : a.bindings)
    if (b.exported) vars[b.name] = b.value;
  if (auto r = inv_.set_match(cur.id, a.role, alloc, vars); !r) return fail(r.error());
  auto matched = inv_.transition(cur.id, NodeState::matched, "match",
                                 "role " + a.role + (alloc.contains("hostname") ? " as " + alloc["hostname"].get<std::string>() : ""),
                                 json{{"role", a.role}, {"allocation", alloc}, {"sticky", decision->sticky}});
  if (!matched) return fail(as_conflict(matched.error()));
  if (cur.goal != "deploy") return json{{"action", "inspect"}, {"node", cur.name}, {"role", a.role}, {"after", "poweroff"}};

  RoleDeploy d = role_deploy(a.role);
  std::string image = pin_image(a.role, d.image);
  // What the node will run once deployed; a latest that cannot be resolved stays unknown.
  if (auto r = inv_.set_image(cur.id, image.ends_with("@latest") ? "" : image); !r) return fail(r.error());
  auto deploying = inv_.transition(cur.id, NodeState::deploying, "plan", "deploy " + image);
  if (!deploying) return fail(as_conflict(deploying.error()));
  return json{{"action", "deploy"}, {"node", cur.name},   {"role", a.role},
              {"image", image},     {"layout", d.layout}, {"disk", d.disk},
              {"cmdline", d.cmdline.empty() ? cfg_.deploy_cmdline : d.cmdline},
              {"after", cur.bmc ? "poweroff" : "reboot"}};
}

Result<json> Provisioner::agent_report(const Node& n, const json& body) {
  if (!body.is_object()) return refuse(ServerError::bad_request, "expected {phase, status, message, data}");
  auto phase_f = text_field(body, "phase"), status_f = text_field(body, "status"), message_f = text_field(body, "message");
  if (!phase_f || !status_f || !message_f) return refuse(ServerError::bad_request, "phase, status and message must be strings");
  std::string phase = *phase_f, status = *status_f, message = *message_f;
  if (phase.empty() || status.empty()) return refuse(ServerError::bad_request, "phase and status are required");
  json data = body.contains("data") && body["data"].is_object() ? body["data"] : json::object();
  data["status"] = status;
  const json done = {{"ok", true}};
  if (status == "failed") {
    // The server fails a node itself when it refuses the agent (no role matches), and the agent
    // then reports that same refusal: a confirmation, not a second failure. failed -> failed
    // is not a transition, and failing again would hand back the allocation twice.
    if (n.state == NodeState::failed) {
      auto ev = inv_.record_event(n.id, phase, "confirm", "the agent confirmed: " + message, data);
      if (!ev) return fail(ev.error());
      return done;
    }
    if (auto r = fail_node(n, phase, message); !r) return fail(r.error());
    return done;
  }
  if (phase == "deployed" && status == "done") {
    auto written = db_.transaction([&]() -> Result<void> {
      auto moved = inv_.transition(n.id, NodeState::deployed, "deployed", message, data);
      if (!moved) return fail(as_conflict(moved.error()));
      return selector_ ? selector_->deployed(n.name) : ok();
    });
    if (!written) return fail(written.error());
    asio::co_spawn(io_, boot_from_disk(n.id), asio::detached);
    return done;
  }
  auto ev = inv_.record_event(n.id, phase, status, message, data);
  if (!ev) return fail(ev.error());
  return done;
}

Result<json> Provisioner::agent_config(const Node& n, const std::string& token) {
  deploy::NodeConfigInput in;
  in.node = n.name;
  in.role = n.role;
  in.allocation = n.allocation;
  in.variables = n.variables;
  in.boot_mac = n.mac.value_or("");
  in.ssh_authorized_keys = cfg_.ssh_keys;
  in.server_url = cfg_.server_url;
  in.node_token = token;
  auto files = deploy::render_node_config(in);
  if (!files) {
    if (auto r = fail_node(n, "config", files.error().message()); !r) return fail(r.error());
    return refuse(ServerError::conflict, files.error().message());
  }
  json out = {{"files", json::object()}};
  for (auto& [path, f] : *files) out["files"][path] = {{"content", f.content}, {"mode", f.mode}};
  return out;
}

Result<json> Provisioner::agent_callback(const Node& n, const json& body) {
  auto hostname_f = text_field(body, "hostname"), role_f = text_field(body, "role");
  if (!hostname_f || !role_f) return refuse(ServerError::bad_request, "hostname and role must be strings");
  std::string hostname = *hostname_f, role = *role_f;
  if (n.state == NodeState::configured) {
    auto ev = inv_.record_event(n.id, "handoff", "log", "callback again from " + hostname);
    if (!ev) return fail(ev.error());
    return json{{"ok", true}};
  }
  auto moved = inv_.transition(n.id, NodeState::configured, "handoff",
                               "first boot called back as " + hostname + " (" + role + ")",
                               json{{"hostname", hostname}, {"role", role}});
  if (!moved) return fail(as_conflict(moved.error()));
  return json{{"ok", true}};
}

}  // namespace ingot::server
