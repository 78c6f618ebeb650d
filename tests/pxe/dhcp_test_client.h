// A minimal blocking DHCP client socket for tests and the dhcp_probe tool: send one packet,
// wait for one reply. Not the product: no retries, no state machine.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pxe/dhcp_packet.h"

namespace ingot::pxe::test {

// "IP:PORT" for the test tools' flags.
inline bool parse_endpoint(const std::string& s, Ipv4& ip, std::uint16_t& port) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  auto a = parse_ipv4(s.substr(0, colon));
  if (!a) return false;
  ip = *a;
  auto digits = std::string_view(s).substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  return ec == std::errc{} && end == digits.data() + digits.size();
}

class DhcpTestClient {
 public:
  // Binds bind_ip:bind_port (optionally to a device), broadcast allowed.
  DhcpTestClient(Ipv4 bind_ip, std::uint16_t bind_port, const std::string& device = {}) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int on = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    ::setsockopt(fd_, SOL_SOCKET, SO_BROADCAST, &on, sizeof on);
    if (!device.empty())
      ::setsockopt(fd_, SOL_SOCKET, SO_BINDTODEVICE, device.c_str(), static_cast<socklen_t>(device.size()));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(bind_port);
    a.sin_addr.s_addr = htonl(bind_ip);
    bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~DhcpTestClient() { ::close(fd_); }
  DhcpTestClient(const DhcpTestClient&) = delete;
  DhcpTestClient& operator=(const DhcpTestClient&) = delete;

  bool ok() const { return bound_; }
  int fd() const { return fd_; }

  bool send_raw(const std::vector<std::uint8_t>& bytes, Ipv4 ip, std::uint16_t port) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(ip);
    return ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) ==
           static_cast<ssize_t>(bytes.size());
  }
  bool send(const DhcpPacket& p, Ipv4 ip, std::uint16_t port) {
    auto bytes = encode_dhcp(p, kMaxReplySize);
    return bytes && send_raw(*bytes, ip, port);
  }

  // The next reply with this xid, or nullopt after timeout_ms.
  std::optional<DhcpPacket> receive(std::uint32_t xid, int timeout_ms) {
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::vector<std::uint8_t> buf(kMaxPacketSize);
    for (;;) {
      ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
      if (n < 0) return std::nullopt;
      auto p = decode_dhcp(std::span(buf.data(), static_cast<std::size_t>(n)));
      if (p && p->xid == xid && p->op == kBootReply) return std::move(*p);
    }
  }

 private:
  int fd_ = -1;
  bool bound_ = false;
};

}  // namespace ingot::pxe::test
