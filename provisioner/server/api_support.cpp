#include "provisioner/server/api_support.h"

#include "common/json_depth.h"

#include "provisioner/inventory/token.h"

namespace ingot::server {
using nlohmann::json;
using pxe::HttpRequest;
using pxe::HttpResponse;

HttpResponse json_response(int status, const json& j) {
  return HttpResponse::text(status, j.dump() + "\n", "application/json");
}
HttpResponse error_response(int status, const std::string& msg) { return json_response(status, json{{"error", msg}}); }

int http_status(const Error& e) {
  if (e.code.category() != server_category()) return 500;
  switch (static_cast<ServerError>(e.code.value())) {
    case ServerError::bad_request: return 400;
    case ServerError::unauthorized: return 401;
    case ServerError::forbidden: return 403;
    case ServerError::not_found: return 404;
    case ServerError::conflict: return 409;
    case ServerError::bmc_failed: return 502;
  }
  return 500;
}

HttpResponse error_response(const Error& e) { return error_response(http_status(e), e.message()); }

std::pair<std::string, std::string> resource_path(const std::string& path, std::string_view prefix) {
  std::string rest = path.substr(std::min(path.size(), prefix.size()));
  auto slash = rest.find('/');
  if (slash == std::string::npos) return {rest, ""};
  return {rest.substr(0, slash), rest.substr(slash + 1)};
}

std::string bearer(const HttpRequest& req) {
  std::string_view h = req.header("Authorization");
  if (h.size() > 7 && pxe::iequals(h.substr(0, 7), "Bearer ")) return std::string(h.substr(7));
  return {};
}

std::optional<HttpResponse> admit_api(const HttpRequest& head, Provisioner& p) {
  std::string t = bearer(head);
  if (t.empty()) return error_response(401, "missing bearer token").header("WWW-Authenticate", "Bearer");
  if (inventory::same_secret(inventory::sha256_hex(t), inventory::sha256_hex(p.config().admin_token))) return std::nullopt;
  auto n = p.inventory().node_for_token(t);
  if (!n) return error_response(n.error());
  if (!*n || (*n)->state == inventory::NodeState::retired) return error_response(403, "unknown or superseded token");
  return std::nullopt;
}

std::optional<HttpResponse> require_admin(const HttpRequest& req, const Provisioner& p) {
  std::string t = bearer(req);
  if (t.empty()) return error_response(401, "missing bearer token (INGOT_TOKEN)").header("WWW-Authenticate", "Bearer");
  if (!inventory::same_secret(inventory::sha256_hex(t), inventory::sha256_hex(p.config().admin_token)))
    return error_response(403, "this token may not use the operator API");
  return std::nullopt;
}

std::variant<inventory::Node, HttpResponse> require_agent(const HttpRequest& req, Provisioner& p) {
  std::string t = bearer(req);
  if (t.empty()) return error_response(401, "missing node token").header("WWW-Authenticate", "Bearer");
  auto n = p.inventory().node_for_token(t);
  if (!n) return error_response(n.error());
  if (!n->has_value()) return error_response(403, "unknown or superseded node token");
  // Retiring revokes the node's standing, so its token is no longer authorised for anything:
  // an authorisation refusal (403), not a state conflict the agent could resolve by retrying.
  if ((*n)->state == inventory::NodeState::retired)
    return error_response(403, "node " + (*n)->name + " is retired: its token is no longer authorised");
  return **n;
}

Result<json> body_json(const HttpRequest& req) {
  if (req.body.empty()) return json::object();
  if (json_deeper_than(req.body))
    return refuse(ServerError::bad_request, "body nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  auto j = json::parse(req.body, nullptr, false);
  if (j.is_discarded()) return refuse(ServerError::bad_request, "body is not JSON");
  return j;
}

}  // namespace ingot::server
