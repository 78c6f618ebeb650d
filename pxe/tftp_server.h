// TFTP read-only server (RFC 1350 with RFC 2347/2348/2349/7440 options): one listening socket
// takes requests; each read request becomes a Transfer on its own ephemeral socket, all on
// one io_context. Write requests, non-octet modes and paths leaving the root get an ERROR.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

#include "common/asio.h"
#include "common/result.h"

namespace ingot::pxe::tftp {

// Concurrent transfers: each holds a socket and up to kChunkBytes of buffer, so 512 stay
// under 32 MiB and well inside the default 1024-descriptor limit; a whole rack booting at
// once is a few hundred clients. Beyond it, requests get "busy" and the client retries.
constexpr std::size_t kMaxTransfers = 512;

struct ServerConfig {
  asio::ip::udp::endpoint listen;
  std::filesystem::path root;
  std::chrono::milliseconds rto{250};  // retransmission timeout when the client sets none
};

class Server {
 public:
  static Result<std::unique_ptr<Server>> start(asio::io_context& io, const ServerConfig& config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  asio::ip::udp::endpoint local_endpoint() const;

  struct Impl;

 private:
  explicit Server(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

}  // namespace ingot::pxe::tftp
