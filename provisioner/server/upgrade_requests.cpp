// UpgradeCoordinator, the operator's requests: which image a role goes to, which of its nodes
// can take part (and why the others cannot), the dry run, and creating a rollout or a
// single-node upgrade. Bad input is a 4xx that says what to change.
#include "imagebuilder/image_ref.h"
#include "imagebuilder/object_store.h"
#include "provisioner/rollout/store_estimate.h"
#include "provisioner/server/upgrade_coordinator.h"

namespace ingot::server {
namespace {
using inventory::Node;
using inventory::NodeState;
using nlohmann::json;

std::string image_role(const std::string& image) {
  auto at = image.find('@');
  return at == std::string::npos ? std::string() : image.substr(0, at);
}

// An optional field of an untrusted body, checked for type; the error names the field.
Result<void> get_int(const json& b, const char* key, int lo, int hi, int& out) {
  if (!b.contains(key) || b[key].is_null()) return ok();
  if (!b[key].is_number_integer() || b[key].get<std::int64_t>() < lo || b[key].get<std::int64_t>() > hi)
    return refuse(ServerError::bad_request, std::string(key) + " must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  out = b[key].get<int>();
  return ok();
}
Result<void> get_text(const json& b, const char* key, std::string& out) {
  if (!b.contains(key) || b[key].is_null()) return ok();
  if (!b[key].is_string()) return refuse(ServerError::bad_request, std::string(key) + " must be a string");
  out = b[key].get<std::string>();
  return ok();
}
Result<void> get_bool(const json& b, const char* key, bool& out) {
  if (!b.contains(key) || b[key].is_null()) return ok();
  if (!b[key].is_boolean()) return refuse(ServerError::bad_request, std::string(key) + " must be true or false");
  out = b[key].get<bool>();
  return ok();
}
Result<void> check_drift(const std::string& d) {
  if (d == "stop" || d == "overwrite") return ok();
  return refuse(ServerError::bad_request, "drift must be \"stop\" or \"overwrite\", not '" + d + "'");
}

}  // namespace

struct UpgradeCoordinator::Target {
  std::string image_name;  // the role part of the images
  std::string to;          // role@version, stored
  std::string from;        // role@version or "" (any)
};

// `to` / `from` are versions ("2") or full refs ("tiny@2") of the role's image.
Result<UpgradeCoordinator::Target> UpgradeCoordinator::resolve_target(const std::string& role, const std::string& to,
                                                                         const std::string& from) {
  Target t;
  t.image_name = image_name_of_(role).value_or(role);
  auto full = [&](const std::string& v, const char* what) -> Result<std::string> {
    std::string ref_text = v.find('@') == std::string::npos ? t.image_name + "@" + v : v;
    auto ref = image::parse_image_ref(ref_text);
    if (!ref) return refuse(ServerError::bad_request, std::string(what) + ": " + ref.error().message());
    if (ref->role != t.image_name)
      return refuse(ServerError::bad_request, std::string(what) + ": " + ref_text + " is not an image of " + t.image_name);
    return ref->str();
  };
  if (to.empty()) return refuse(ServerError::bad_request, "to: the target version is required");
  auto to_ref = full(to, "to");
  if (!to_ref) return fail(to_ref.error());
  t.to = *to_ref;
  if (!from.empty()) {
    auto from_ref = full(from, "from");
    if (!from_ref) return fail(from_ref.error());
    t.from = *from_ref;
    if (t.from == t.to) return refuse(ServerError::bad_request, "from and to are the same image (" + t.to + "): nothing to upgrade");
  }
  auto store = image::ObjectStore::open(image_store_);
  if (!store) return fail("image store: " + store.error().message());
  if (!store->has_image(*image::parse_image_ref(t.to)))
    return refuse(ServerError::not_found, "no image " + t.to + " in the store (see `ingot image list`)");
  return t;
}

std::optional<std::string> UpgradeCoordinator::ineligible(const Node& n, const Target& t) {
  if (n.state != NodeState::configured && n.state != NodeState::deployed)
    return "state " + std::string(inventory::to_string(n.state)) + " (needs configured or deployed)";
  if (n.image.empty()) return std::string("its image is unknown (deployed before images were recorded)");
  if (image_role(n.image) != t.image_name || !image::parse_image_ref(n.image))
    return "runs " + n.image + ", not an image of " + t.image_name;
  if (n.image == t.to) return "already runs " + t.to;
  if (!t.from.empty() && n.image != t.from) return "runs " + n.image + ", not " + t.from;
  auto open = store_.open_upgrade(n.id);
  if (!open) return "database: " + open.error().message();
  if (*open) {
    const auto& u = **open;
    return "busy: " + (u.rollout_id ? "in rollout " + std::to_string(u.rollout_id) : std::string("upgrading")) +
           " to " + u.to_image;
  }
  return std::nullopt;
}

json UpgradeCoordinator::dry_run_of(const Node& n, const std::string& to_image) {
  json out = {{"node", n.name}, {"from", n.image}, {"to", to_image}};
  auto store = image::ObjectStore::open(image_store_);
  if (!store) {
    out["error"] = store.error().message();
    return out;
  }
  auto from = image::parse_image_ref(n.image), to = image::parse_image_ref(to_image);
  if (!from || !to) {
    out["error"] = "not an image name: " + (from ? to_image : n.image);
    return out;
  }
  auto plan = rollout::estimate_from_store(*store, *from, *to);
  if (!plan) out["error"] = plan.error().message();
  else out["plan"] = rollout::to_json(*plan);
  return out;
}

Result<json> UpgradeCoordinator::create_rollout(const json& body) {
  if (!body.is_object()) return refuse(ServerError::bad_request, "expected {role, to, from?, canary?, batch?, max_failures?, drift?, dry_run?}");
  std::string role, to, from, drift = "stop";
  rollout::RolloutSettings s;
  bool dry = false;
  for (auto e : {get_text(body, "role", role), get_text(body, "to", to), get_text(body, "from", from),
                 get_text(body, "drift", drift), get_int(body, "canary", 0, kMaxRolloutBatch, s.canary),
                 get_int(body, "batch", 1, kMaxRolloutBatch, s.batch),
                 get_int(body, "max_failures", 0, kMaxRolloutBatch, s.max_failures), get_bool(body, "dry_run", dry)})
    if (!e) return fail(e.error());
  if (role.empty()) return refuse(ServerError::bad_request, "role is required");
  if (auto e = check_drift(drift); !e) return fail(e.error());
  auto nodes = inv_.list();
  if (!nodes) return fail(nodes.error());
  std::string image_name = image_name_of_(role).value_or(role);
  std::vector<Node> members;
  for (auto& n : *nodes)
    if (n.state != NodeState::retired && (n.role == role || (!n.image.empty() && image_role(n.image) == image_name)))
      members.push_back(n);
  if (!image_name_of_(role) && members.empty()) {
    auto store = image::ObjectStore::open(image_store_);
    auto prev = store ? store->previous_version(role, "") : Result<std::optional<image::ImageRef>>(fail("no store"));
    if (!prev || !*prev) return refuse(ServerError::not_found, "unknown role '" + role + "' (see `ingot role list`)");
  }
  if (members.empty()) return refuse(ServerError::conflict, "role " + role + " has no nodes");
  std::lock_guard lock(mu_);
  auto target = resolve_target(role, to, from);
  if (!target) return fail(target.error());
  const Target& t = *target;
  std::vector<Node> eligible;
  json skipped = json::array();
  for (auto& n : members) {
    if (auto why = ineligible(n, t)) skipped.push_back({{"node", n.name}, {"reason", *why}});
    else eligible.push_back(n);
  }
  if (eligible.empty()) {
    std::string why = "no node of role " + role + " can go to " + t.to + ":";
    for (auto& s_ : skipped) why += " " + s_["node"].get<std::string>() + " (" + s_["reason"].get<std::string>() + ")";
    return refuse(ServerError::conflict, why);
  }
  if (dry) {
    json plans = json::array();
    for (auto& n : eligible) plans.push_back(dry_run_of(n, t.to));
    return json{{"dry_run", true}, {"role", role}, {"to", t.to}, {"nodes", plans}, {"skipped", skipped}};
  }
  rollout::RolloutRecord r;
  r.role = role;
  r.from_version = t.from.empty() ? "" : t.from.substr(t.from.find('@') + 1);
  r.to_image = t.to;
  r.settings = s;
  r.drift = drift;
  std::int64_t id = 0;
  auto written = store_.transaction([&]() -> Result<void> {
    auto rid = store_.insert_rollout(r);
    if (!rid) return fail(rid.error());
    id = *rid;
    auto created = store_.event(0, id, "created",
                                "rollout of " + role + " to " + t.to + ": " + std::to_string(eligible.size()) +
                                    " node(s), canary " + std::to_string(s.canary) + ", batch " + std::to_string(s.batch) +
                                    ", max failures " + std::to_string(s.max_failures) + ", drift " + drift,
                                json{{"skipped", skipped}});
    if (!created) return created;
    std::int64_t seq = 0;
    for (auto& n : eligible) {
      rollout::UpgradeRecord u;
      u.rollout_id = id;
      u.node_id = n.id;
      u.seq = seq++;
      u.from_image = n.image;
      u.to_image = t.to;
      u.drift = drift;
      if (auto e = store_.insert_upgrade(u); !e) return fail(e.error());
      if (auto e = store_.event(n.id, id, "queued", "queued in rollout " + std::to_string(id) + " to " + t.to); !e) return e;
    }
    return ok();
  });
  if (!written) return fail(written.error());
  if (auto a = advance_locked(id); !a) return fail(a.error());
  auto shown = show_locked(id);
  if (shown) (*shown)["skipped"] = skipped;
  return shown;
}

Result<json> UpgradeCoordinator::upgrade_node(const std::string& name, const json& body) {
  if (!body.is_object()) return refuse(ServerError::bad_request, "expected {to, dry_run?, drift?}");
  std::string to, drift = "stop";
  bool dry = false;
  for (auto e : {get_text(body, "to", to), get_text(body, "drift", drift), get_bool(body, "dry_run", dry)})
    if (!e) return fail(e.error());
  if (auto e = check_drift(drift); !e) return fail(e.error());
  auto found = inv_.find_by_name(name);
  if (!found) return fail(found.error());
  if (!*found) return refuse(ServerError::not_found, "no node named '" + name + "'");
  const Node& n = **found;
  if (n.image.empty()) return refuse(ServerError::conflict, "node " + name + ": its image is unknown (deployed before images were recorded): redeploy it");
  std::lock_guard lock(mu_);
  auto target = resolve_target(image_role(n.image), to, "");
  if (!target) return fail(target.error());
  const Target& t = *target;
  if (t.to == n.image) return refuse(ServerError::bad_request, "node " + name + " already runs " + t.to);
  if (auto why = ineligible(n, t)) return refuse(ServerError::conflict, "node " + name + ": " + *why);
  if (dry) return json{{"dry_run", true}, {"nodes", json::array({dry_run_of(n, t.to)})}};
  rollout::UpgradeRecord u;
  u.node_id = n.id;
  u.from_image = n.image;
  u.to_image = t.to;
  u.drift = drift;
  u.status = "assigned";
  auto written = store_.transaction([&]() -> Result<void> {
    if (auto id = store_.insert_upgrade(u); !id) return fail(id.error());
    return store_.event(n.id, 0, "assigned", "upgrade " + n.image + " -> " + t.to + " asked by the operator (drift " + drift + ")",
                        json{{"from", n.image}, {"to", t.to}, {"drift", drift}});
  });
  if (!written) return fail(written.error());
  return json{{"node", name}, {"from", n.image}, {"to", t.to}, {"drift", drift}, {"status", "assigned"}};
}

}  // namespace ingot::server
