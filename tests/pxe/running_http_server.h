// An HttpServer on 127.0.0.1:0 running on its own thread for the length of a test, with the
// routes it was given: what in-process HTTP tests (the server's own, the HTTP client's) talk to.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "pxe/http_server.h"

namespace ingot::test {

struct RunningHttpServer {
  asio::io_context io;
  std::unique_ptr<pxe::HttpServer> server;
  std::thread thread;
  explicit RunningHttpServer(pxe::HttpRouter router) {
    pxe::HttpServerSettings s;
    s.address = "127.0.0.1";
    s.port = 0;
    auto started = pxe::HttpServer::start(io, s, std::move(router));
    REQUIRE(started);
    server = std::move(*started);
    thread = std::thread([this] { io.run(); });
  }
  ~RunningHttpServer() {
    io.stop();
    thread.join();
  }
  RunningHttpServer(const RunningHttpServer&) = delete;
  RunningHttpServer& operator=(const RunningHttpServer&) = delete;
  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(server->port()) + std::string(path);
  }
};

}  // namespace ingot::test
