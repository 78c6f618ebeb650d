// Routes requests to handlers by method and path, so every part of ingot (boot scripts and
// files now; the REST API and the image store later) mounts its routes on one HTTP server.
// A path ending in '/' is a prefix ("/api/v1/" takes the whole subtree), any other path is
// matched exactly; the longest match wins. GET routes also answer HEAD (the shell drops the
// body). A known path with another method gets 405 with Allow (RFC 9110 §15.5.6).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pxe/http_request.h"
#include "pxe/http_response.h"

namespace ingot::pxe {

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

class HttpRouter {
 public:
  void add(std::string method, std::string path, HttpHandler handler);
  HttpResponse dispatch(const HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::string path;
    bool prefix;
    HttpHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace ingot::pxe
