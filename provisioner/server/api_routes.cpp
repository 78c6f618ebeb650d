#include "provisioner/server/api_routes.h"

#include "common/log.h"
#include "provisioner/inventory/token.h"
#include "provisioner/server/api_support.h"
#include "provisioner/server/upgrade_coordinator.h"

namespace ingot::server {
namespace {
using inventory::Node;
using nlohmann::json;
using pxe::HttpRequest;
using pxe::HttpResponse;

std::pair<std::string, std::string> node_path(const std::string& path) { return resource_path(path, "/api/v1/nodes/"); }

std::int64_t param_int(const HttpRequest& req, std::string_view name) {
  auto v = req.param(name);
  if (!v) return 0;
  try {
    return std::stoll(std::string(*v));
  } catch (...) {
    return 0;
  }
}

HttpResponse show_node(Provisioner& p, const Node& n) {
  json j = inventory::to_json(n);
  auto facts = json::parse(n.facts_json, nullptr, false);
  j["facts"] = facts.is_discarded() ? json::array() : facts;
  json timeline = json::array();
  auto evs = p.inventory().events(n.id, 0, 10000);
  if (!evs) return error_response(evs.error());
  for (auto& e : *evs) timeline.push_back(inventory::to_json(e));
  j["timeline"] = timeline;
  return json_response(200, j);
}

HttpResponse events_stream(Provisioner& p, const HttpRequest& req) {
  std::int64_t after = param_int(req, "after");
  std::string node_name(req.param("node").value_or(""));
  std::int64_t node_id = 0;
  if (!node_name.empty()) {
    auto n = p.inventory().find_by_name(node_name);
    if (!n || !n->has_value()) return error_response(404, "no node named '" + node_name + "'");
    node_id = (*n)->id;
  }
  HttpResponse r;
  r.headers = {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-store"}};
  r.note = "event stream";
  r.body = pxe::StreamBody([&p, after, node_id](pxe::HttpStreamWriter& w) mutable -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer timer(ex);
    if (!co_await w.write(": ingot events\n\n")) co_return;
    for (int idle = 0;;) {
      auto evs = p.inventory().events(node_id, after, 500);
      if (evs && !evs->empty()) {
        std::string chunk;
        for (auto& e : *evs) {
          chunk += "id: " + std::to_string(e.id) + "\nevent: " + e.kind + "\ndata: " + inventory::to_json(e).dump() + "\n\n";
          after = e.id;
        }
        if (!co_await w.write(chunk)) co_return;
        idle = 0;
      } else if (++idle >= 60) {  // a comment every ~15 s keeps proxies from closing the stream
        if (!co_await w.write(": keepalive\n\n")) co_return;
        idle = 0;
      }
      timer.expires_after(std::chrono::milliseconds(250));
      co_await timer.async_wait(asio::use_awaitable);
    }
  });
  return r;
}

}  // namespace

void mount_api(pxe::HttpRouter& router, Provisioner& p) {
  router.add_gate("/api/v1/", [&p](const HttpRequest& head) { return admit_api(head, p); }, kMaxApiBodyBytes);
  router.add("GET", "/api/v1/nodes", [&p](const HttpRequest& req) {
    if (auto deny = require_admin(req, p)) return std::move(*deny);
    return list_response(p.inventory().list());
  });
  router.add("POST", "/api/v1/nodes", [&p](const HttpRequest& req) {
    if (auto deny = require_admin(req, p)) return std::move(*deny);
    auto body = body_json(req);
    if (!body) return error_response(body.error());
    return from(p.enrol(*body), 201);
  });
  auto node_get = [&p](const HttpRequest& req) {
    if (auto deny = require_admin(req, p)) return std::move(*deny);
    auto [name, action] = node_path(req.path);
    if (!action.empty()) return error_response(404, "no such resource");
    auto n = p.node(name);
    if (!n) return error_response(n.error());
    return show_node(p, *n);
  };
  router.add("GET", "/api/v1/nodes/", node_get);
  router.add("POST", "/api/v1/nodes/", [&p](const HttpRequest& req) {
    if (auto deny = require_admin(req, p)) return std::move(*deny);
    auto [name, action] = node_path(req.path);
    if (action == "deploy") return from(p.request_deploy(name));
    if (action == "retire") return from(p.retire(name));
    if (action == "upgrade") {
      auto body = body_json(req);
      if (!body) return error_response(body.error());
      return from(p.upgrades().upgrade_node(name, *body));
    }
    if (action != "power") return error_response(404, "unknown action '" + action + "' (deploy, power, retire, upgrade)");
    auto body = body_json(req);
    if (!body) return error_response(body.error());
    if (!body->is_object() || !body->contains("action") || !(*body)["action"].is_string())
      return error_response(400, "expected {\"action\": \"on|off|cycle|reset|soft|status\"}");
    std::string what = (*body)["action"].get<std::string>();
    HttpResponse r;
    r.headers = {{"Content-Type", "application/json"}};
    r.note = "power " + what;
    // The BMC call runs on the power workers; this stream answers when it completes.
    r.body = pxe::StreamBody([&p, name = name, what](pxe::HttpStreamWriter& w) -> asio::awaitable<void> {
      auto result = co_await p.power(name, what);
      json out = result ? *result : json{{"error", result.error().message()}};
      co_await w.write(out.dump() + "\n");
    });
    return r;
  });
  router.add("GET", "/api/v1/roles", [&p](const HttpRequest& req) {
    if (auto deny = require_admin(req, p)) return std::move(*deny);
    json out = json::array();
    for (auto& r : p.roles())
      out.push_back({{"name", r.name}, {"count", hwmatch::count_text(r.count)}, {"image", p.role_deploy(r.name).image}});
    return json_response(200, out);
  });
  router.add("GET", "/api/v1/events", [&p](const HttpRequest& req) {
    if (auto deny = require_admin(req, p)) return std::move(*deny);
    return list_response(p.inventory().events(0, param_int(req, "after"), 1000));
  });
  router.add("GET", "/api/v1/events/stream", [&p](const HttpRequest& req) {
    if (auto deny = require_admin(req, p)) return std::move(*deny);
    return events_stream(p, req);
  });

  auto agent = [&p](auto fn) {
    return [&p, fn](const HttpRequest& req) {
      auto who = require_agent(req, p);
      if (auto* deny = std::get_if<HttpResponse>(&who)) return std::move(*deny);
      auto body = body_json(req);
      if (!body) return error_response(body.error());
      return fn(std::get<Node>(who), *body, req);
    };
  };
  router.add("POST", "/api/v1/agent/facts", agent([&p](const Node& n, const json& b, const HttpRequest&) {
               return from(p.agent_facts(n, b));
             }));
  router.add("POST", "/api/v1/agent/report", agent([&p](const Node& n, const json& b, const HttpRequest&) {
               return from(p.agent_report(n, b));
             }));
  router.add("POST", "/api/v1/agent/callback", agent([&p](const Node& n, const json& b, const HttpRequest&) {
               return from(p.agent_callback(n, b));
             }));
  mount_upgrade_api(router, p);
  router.add("GET", "/api/v1/agent/config", agent([&p](const Node& n, const json&, const HttpRequest& req) {
               return from(p.agent_config(n, bearer(req)));
             }));
}

}  // namespace ingot::server
