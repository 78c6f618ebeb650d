// What every REST route shares: JSON answers and errors, bearer-token checks (operator: the
// admin token; agent: a node token, which names the node), and the request body as JSON.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "provisioner/server/provisioner.h"
#include "pxe/http_router.h"

namespace ingot::server {

pxe::HttpResponse json_response(int status, const nlohmann::json& j);
pxe::HttpResponse error_response(int status, const std::string& msg);

template <typename T>
pxe::HttpResponse from(const ApiResult<T>& r, int ok_status = 200) {
  if (auto* e = std::get_if<ApiError>(&r)) return error_response(e->status, e->message);
  if constexpr (std::is_same_v<T, inventory::Node>) return json_response(ok_status, inventory::to_json(std::get<T>(r)));
  else return json_response(ok_status, std::get<T>(r));
}

std::string bearer(const pxe::HttpRequest& req);
// nullopt: authorised; otherwise the response to send.
std::optional<pxe::HttpResponse> require_admin(const pxe::HttpRequest& req, const Provisioner& p);
std::variant<inventory::Node, pxe::HttpResponse> require_agent(const pxe::HttpRequest& req, Provisioner& p);
// nullopt: not JSON. An empty body is {}.
std::optional<nlohmann::json> body_json(const pxe::HttpRequest& req);

// Mounted by mount_api: rollouts, node upgrades and the agents' upgrade endpoints.
void mount_upgrade_api(pxe::HttpRouter& router, Provisioner& p);

}  // namespace ingot::server
