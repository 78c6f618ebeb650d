// The upgrade routes (provisioner/UPGRADES.md): operators' rollouts under /api/v1/rollouts (admin
// token) and the agents' /api/v1/agent/upgrade (node token: a node only ever sees and reports
// its own upgrade).
#include <charconv>

#include "provisioner/server/api_support.h"
#include "provisioner/server/upgrade_coordinator.h"

namespace ingot::server {
namespace {
using nlohmann::json;
using pxe::HttpRequest;
using pxe::HttpResponse;

// "/api/v1/rollouts/12/pause" → {12, "pause"}; id 0 when the segment is not a number.
std::pair<std::int64_t, std::string> rollout_path(const std::string& path) {
  auto [id_text, action] = resource_path(path, "/api/v1/rollouts/");
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc() || end != id_text.data() + id_text.size() || id <= 0) id = 0;
  return {id, action};
}

}  // namespace

void mount_upgrade_api(pxe::HttpRouter& router, Provisioner& p) {
  router.add("GET", "/api/v1/rollouts", [&p](const HttpRequest& req) {
    if (auto deny = require_admin(req, p)) return std::move(*deny);
    return from(p.upgrades().list_rollouts());
  });
  router.add("POST", "/api/v1/rollouts", [&p](const HttpRequest& req) {
    if (auto deny = require_admin(req, p)) return std::move(*deny);
    auto body = body_json(req);
    if (!body) return error_response(body.error());
    bool dry = body->is_object() && body->contains("dry_run") && (*body)["dry_run"].is_boolean() &&
               (*body)["dry_run"].get<bool>();
    return from(p.upgrades().create_rollout(*body), dry ? 200 : 201);
  });
  router.add("GET", "/api/v1/rollouts/", [&p](const HttpRequest& req) {
    if (auto deny = require_admin(req, p)) return std::move(*deny);
    auto [id, action] = rollout_path(req.path);
    if (id == 0 || !action.empty()) return error_response(404, "no such rollout resource: " + req.path);
    return from(p.upgrades().show_rollout(id));
  });
  router.add("POST", "/api/v1/rollouts/", [&p](const HttpRequest& req) {
    if (auto deny = require_admin(req, p)) return std::move(*deny);
    auto [id, action] = rollout_path(req.path);
    if (id == 0) return error_response(404, "no such rollout resource: " + req.path);
    return from(p.upgrades().rollout_action(id, action));
  });

  router.add("GET", "/api/v1/agent/upgrade", [&p](const HttpRequest& req) {
    auto who = require_agent(req, p);
    if (auto* deny = std::get_if<HttpResponse>(&who)) return std::move(*deny);
    auto r = p.upgrades().agent_poll(std::get<inventory::Node>(who));
    if (!r) return error_response(r.error());
    auto& target = *r;
    if (!target) return HttpResponse::text(204, "");
    return json_response(200, *target);
  });
  router.add("POST", "/api/v1/agent/upgrade", [&p](const HttpRequest& req) {
    auto who = require_agent(req, p);
    if (auto* deny = std::get_if<HttpResponse>(&who)) return std::move(*deny);
    auto body = body_json(req);
    if (!body) return error_response(body.error());
    return from(p.upgrades().agent_report(std::get<inventory::Node>(who), *body));
  });
}

}  // namespace ingot::server
