// The one HTTP/1.1 server of ingot: a coroutine per connection on the caller's io_context,
// Beast's parser with ingot's limits (pxe/http_parser.h), an HttpRouter behind it, and three
// ways to send a body (string, file by sendfile(2), chunked stream). Keep-alive per RFC 9112
// §9.3; malformed input gets 400/413/431 and the connection closed; one log line per request.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/asio.h"
#include "common/result.h"
#include "pxe/http_router.h"

namespace ingot::pxe {

// Waiting for the next request on a kept-alive connection, and for a header to complete
// once it started: iPXE asks for the next file within milliseconds; 30 s lets a slow client
// on a congested link through while bounding what an idle or slowloris client holds.
inline constexpr auto kIdleTimeout = std::chrono::seconds(30);
// Reading a request body (at most kMaxBodyBytes): 30 s is 35 KB/s, below any real link.
inline constexpr auto kBodyTimeout = std::chrono::seconds(30);
// A response makes no progress for this long: the client is gone or stuck; free the slot.
inline constexpr auto kWriteStallTimeout = std::chrono::seconds(30);
// After a refusal sent before the body was read, how long the unread body is drained (so the
// client reads the answer instead of a reset): a client sends what it has within a second.
inline constexpr auto kLingerTimeout = std::chrono::seconds(2);
// Open connections. A boot storm of a few thousand machines each keeps one or two; beyond
// this, new connections are closed at once instead of running the process out of fds.
inline constexpr std::size_t kMaxConnections = 4096;

struct HttpServerSettings {
  std::string address = "0.0.0.0";
  std::uint16_t port = 8080;  // 0: any free port (tests); see HttpServer::port()
  // File bodies by sendfile(2) (zero-copy) or by pread(2) into a buffer + write; kept
  // switchable because on loopback the copy can win (bench/http.sh measures both).
  bool use_sendfile = true;
};

class HttpServer {
 public:
  static Result<std::unique_ptr<HttpServer>> start(asio::io_context& io, HttpServerSettings settings,
                                                   HttpRouter router);
  ~HttpServer();  // stops accepting; open connections end with the io_context
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const;

  struct State;

 private:
  explicit HttpServer(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace ingot::pxe
