// One accepted HTTP connection: the socket, a deadline enforced by a watchdog coroutine (one
// timer per connection that re-arms only when it fires, so moving the deadline per request
// costs no syscall), and the three ways a response body goes out.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/asio.h"
#include "pxe/http_response.h"

namespace ingot::pxe {

// sendfile(2)/pread(2) at most this much per call, and yield to other connections after
// kYieldBytes: on loopback a socket never blocks, and one big download must not starve the
// loop (scripts for other machines are answered in between).
inline constexpr std::size_t kFileChunk = 4 * 1024 * 1024;
inline constexpr std::size_t kYieldBytes = 16 * 1024 * 1024;

struct HttpConnection {
  using clock = std::chrono::steady_clock;
  explicit HttpConnection(asio::ip::tcp::socket s)
      : socket(std::move(s)), timer(socket.get_executor()), deadline(clock::now()) {}

  asio::ip::tcp::socket socket;
  asio::steady_timer timer;
  clock::time_point deadline;
  bool done = false;       // the session ended: the watchdog exits
  bool timed_out = false;  // the watchdog closed the socket
  std::string peer;        // "198.18.0.5:51234"
  std::string local;       // the address:port the client reached

  void expire_in(clock::duration d) { deadline = clock::now() + d; }
};

// Closes the socket when the deadline passes.
asio::awaitable<void> watch_deadline(std::shared_ptr<HttpConnection> c);

// Writes head and body; returns body bytes sent, or -1 when the connection failed.
asio::awaitable<std::int64_t> send_response(HttpConnection& c, HttpResponse& r, std::string head, bool head_only,
                                            bool use_sendfile);

}  // namespace ingot::pxe
