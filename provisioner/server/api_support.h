// What every REST route shares: JSON answers and errors, bearer-token checks (operator: the
// admin token; agent: a node token, which names the node), and the request body as JSON.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "provisioner/server/provisioner.h"
#include "provisioner/server/server_error.h"
#include "pxe/http_router.h"

namespace ingot::server {

pxe::HttpResponse json_response(int status, const nlohmann::json& j);
pxe::HttpResponse error_response(int status, const std::string& msg);
// The one place a core error becomes an HTTP status (ServerError codes by meaning; anything
// else — SQLite, the filesystem — is the server's own fault: 500).
int http_status(const Error& e);
pxe::HttpResponse error_response(const Error& e);

template <typename T>
pxe::HttpResponse from(const Result<T>& r, int ok_status = 200) {
  if (!r) return error_response(r.error());
  if constexpr (std::is_same_v<T, inventory::Node>) return json_response(ok_status, inventory::to_json(*r));
  else return json_response(ok_status, *r);
}

// A list answer: a JSON array of to_json(item), or the error.
template <typename T>
pxe::HttpResponse list_response(const Result<std::vector<T>>& r) {
  if (!r) return error_response(r.error());
  nlohmann::json out = nlohmann::json::array();
  for (auto& item : *r) out.push_back(to_json(item));
  return json_response(200, out);
}

// "/api/v1/nodes/NAME/deploy" under "/api/v1/nodes/" → {"NAME", "deploy"}; no action → "".
std::pair<std::string, std::string> resource_path(const std::string& path, std::string_view prefix);

// API request bodies: facts of a large server are tens of KiB. Kept at the server's own 1 MiB
// so that a hostile document (300,000 nested arrays, 600 KB) reaches the depth check and gets
// its 400; what the gate adds is that nobody without a token gets a body read at all.
inline constexpr std::size_t kMaxApiBodyBytes = 1024 * 1024;

// The API's gate (pxe::HttpGate), run on a request's head before its body is read: a bearer
// token that is the admin's or a live node's, else 401/403. Each route still checks which.
std::optional<pxe::HttpResponse> admit_api(const pxe::HttpRequest& head, Provisioner& p);

std::string bearer(const pxe::HttpRequest& req);
// nullopt: authorised; otherwise the response to send.
std::optional<pxe::HttpResponse> require_admin(const pxe::HttpRequest& req, const Provisioner& p);
std::variant<inventory::Node, pxe::HttpResponse> require_agent(const pxe::HttpRequest& req, Provisioner& p);
// The request body as JSON (an empty body is {}); a 400 for text that is not JSON or nests
// deeper than kMaxJsonDepth.
Result<nlohmann::json> body_json(const pxe::HttpRequest& req);

// Mounted by mount_api: rollouts, node upgrades and the agents' upgrade endpoints.
void mount_upgrade_api(pxe::HttpRouter& router, Provisioner& p);

}  // namespace ingot::server
