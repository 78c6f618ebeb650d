#include "pxe/http_router.h"

namespace ingot::pxe {

void HttpRouter::add(std::string method, std::string path, HttpHandler handler) {
  bool prefix = !path.empty() && path.back() == '/';
  routes_.push_back(Route{std::move(method), std::move(path), prefix, std::move(handler)});
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
