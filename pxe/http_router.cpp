#include "pxe/http_router.h"

namespace ingot::pxe {

void HttpRouter::add(std::string method, std::string path, HttpHandler handler) {
  bool prefix = !path.empty() && path.back() == '/';
  routes_.push_back(Route{std::move(method), std::move(path), prefix, std::move(handler)});
}

void HttpRouter::add_gate(std::string prefix, HttpGate gate, std::size_t max_body) {
  gates_.push_back(Gate{std::move(prefix), std::move(gate), max_body});
}

std::optional<HttpResponse> HttpRouter::admit(const HttpRequest& head, std::uint64_t content_length) const {
  for (const auto& g : gates_) {
    if (!head.path.starts_with(g.prefix)) continue;
    if (auto refused = g.gate(head)) return refused;
    if (content_length > g.max_body)
      return HttpResponse::text(413, "body larger than " + std::to_string(g.max_body) + " bytes for " + g.prefix + "\n");
  }
  return std::nullopt;
}

HttpResponse HttpRouter::dispatch(const HttpRequest& request) const {
  auto matches = [&](const Route& r) { return r.prefix ? request.path.starts_with(r.path) : request.path == r.path; };
  // Two passes over a handful of routes: the longest matching path, then a method on it.
  bool found = false;
  std::size_t best_len = 0;
  for (const auto& r : routes_) {
    if (matches(r) && (!found || r.path.size() > best_len)) {
      found = true;
      best_len = r.path.size();
    }
  }
  if (!found) return HttpResponse::error(404);
  std::string allow;
  for (const auto& r : routes_) {
    if (!matches(r) || r.path.size() != best_len) continue;
    if (r.method == request.method || (r.method == "GET" && request.method == "HEAD")) return r.handler(request);
    if (!allow.empty()) allow += ", ";
    allow += r.method;
    if (r.method == "GET") allow += ", HEAD";
  }
  return HttpResponse::error(405).header("Allow", allow);
}

}  // namespace ingot::pxe
