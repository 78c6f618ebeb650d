// The DHCP shell: UDP sockets on the server port (and 4011 for ProxyDHCP) in one Asio loop,
// receive → decode → responder → encode → send. Interface identity comes from IP_PKTINFO (which
// link a broadcast arrived on, our address there) and SO_BINDTODEVICE. A bad packet is logged
// under "dhcp" and dropped; nothing a client sends ends the loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/asio.h"
#include "common/result.h"
#include "pxe/dhcp_ipv4.h"
#include "pxe/dhcp_responder.h"

namespace ingot::pxe {

// Packets handled per wake-up before the batch hook runs and replies go out: bounds how long
// a reply waits for the group commit of the lease file.
inline constexpr std::size_t kMaxDhcpBatch = 64;
inline constexpr std::uint16_t kPxeBootServerPort = 4011;
// Dropped-packet warnings per minute; past that they are counted and summed up once a minute,
// so a flood of garbage cannot fill the disk with logs.
inline constexpr int kMaxDropLogsPerMinute = 20;

struct DhcpServerConfig {
  std::string interface;          // SO_BINDTODEVICE when set
  Ipv4 listen = 0;                // bind address; 0: any (needed to see broadcasts)
  std::uint16_t port = 67;
  bool boot_server_port = false;  // also serve PXE boot server discovery on 4011 (proxy mode)
  Ipv4 server_id = 0;             // 0: our address on the link the request came in on
  // Runs after each batch of requests, before their replies are sent (persists leases, so an
  // ACK is never sent for a binding that a crash could lose).
  std::function<Result<void>()> after_batch;
  std::function<std::int64_t()> clock;  // unix seconds; default: system clock
};

class DhcpServer {
 public:
  static Result<std::unique_ptr<DhcpServer>> start(asio::io_context& io, DhcpServerConfig config,
                                                   DhcpResponder& responder);
  ~DhcpServer();
  DhcpServer(const DhcpServer&) = delete;
  DhcpServer& operator=(const DhcpServer&) = delete;

  // The bound ports (port 0 in the config picks a free one: tests).
  std::uint16_t port() const;

 private:
  struct Listener;
  struct Outgoing;
  DhcpServer(asio::io_context& io, DhcpServerConfig config, DhcpResponder& responder);
  Result<void> open(std::uint16_t port, bool boot_server);
  void arm(Listener& l);
  void drain(Listener& l);
  void handle(Listener& l, std::span<const std::uint8_t> bytes, Ipv4 source, std::uint16_t source_port,
              int ifindex, Ipv4 local, std::vector<Outgoing>& out);
  void send(Listener& l, const Outgoing& o);
  bool may_log_drop();

  asio::io_context& io_;
  DhcpServerConfig config_;
  DhcpResponder& responder_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::chrono::steady_clock::time_point drop_window_{};
  int drops_logged_ = 0;
  long drops_silenced_ = 0;
};

}  // namespace ingot::pxe
