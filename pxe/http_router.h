// Routes requests to handlers by method and path, so every part of ingot (boot scripts and
// files now; the REST API and the image store later) mounts its routes on one HTTP server.
// A path ending in '/' is a prefix ("/api/v1/" takes the whole subtree), any other path is
// matched exactly; the longest match wins. GET routes also answer HEAD (the shell drops the
// body). A known path with another method gets 405 with Allow (RFC 9110 §15.5.6).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pxe/http_request.h"
#include "pxe/http_response.h"

namespace ingot::pxe {

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;
// Sees a request's head (method, path, header fields; no body yet) and refuses it, or lets it
// on (nullopt). The server asks before it reads a body, so an unauthenticated client cannot
// make it hold one: what a gate costs the server is the header (at most kMaxHeaderBytes).
using HttpGate = std::function<std::optional<HttpResponse>(const HttpRequest& head)>;

class HttpRouter {
 public:
  void add(std::string method, std::string path, HttpHandler handler);
  // Requests whose path starts with prefix pass gate before their body is read, and may carry
  // at most max_body bytes of it (413 otherwise, also before it is read).
  void add_gate(std::string prefix, HttpGate gate, std::size_t max_body);
  // The refusal for a request's head, or nullopt; content_length: 0 when unknown (chunked).
  std::optional<HttpResponse> admit(const HttpRequest& head, std::uint64_t content_length) const;
  HttpResponse dispatch(const HttpRequest& request) const;

 private:
  struct Gate {
    std::string prefix;
    HttpGate gate;
    std::size_t max_body;
  };
  std::vector<Gate> gates_;
  struct Route {
    std::string method;
    std::string path;
    bool prefix;
    HttpHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace ingot::pxe
