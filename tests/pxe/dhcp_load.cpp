// dhcp_load: a DHCP load generator acting as one relay agent (giaddr), the way a boot storm
// reaches a server through a router. Runs N clients (distinct MACs) through DISCOVER → OFFER →
// REQUEST → ACK with C in flight, retransmitting after 1 s, and prints one line:
//   clients=N acked=A lost=L retries=R seconds=S rate=TX/s
//   dhcp_load --relay IP:PORT --server IP:PORT [--clients N] [--concurrency C] [--deadline-s D]
#include <poll.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "tests/pxe/dhcp_test_client.h"

using namespace ingot::pxe;
using ingot::pxe::test::parse_endpoint;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kRetransmit = std::chrono::seconds(1);

struct Client {
  MacAddress mac;
  std::uint32_t xid = 0;
  bool requesting = false;
  Ipv4 offered = 0, server = 0;
  Clock::time_point sent;
};

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> a;
  for (int i = 1; i + 1 < argc; i += 2) a[std::string(argv[i]).substr(2)] = argv[i + 1];
  Ipv4 relay_ip = 0, server_ip = 0;
  std::uint16_t relay_port = 0, server_port = 0;
  if (!parse_endpoint(a["relay"], relay_ip, relay_port) || !parse_endpoint(a["server"], server_ip, server_port)) {
    std::cerr << "usage: dhcp_load --relay IP:PORT --server IP:PORT [--clients N] [--concurrency C]\n";
    return 2;
  }
  int total = a.count("clients") ? std::stoi(a["clients"]) : 1000;
  int concurrency = a.count("concurrency") ? std::stoi(a["concurrency"]) : 64;
  auto deadline = Clock::now() + std::chrono::seconds(a.count("deadline-s") ? std::stoi(a["deadline-s"]) : 60);

  ingot::pxe::test::DhcpTestClient sock(relay_ip, relay_port);
  if (!sock.ok()) {
    std::cerr << "dhcp_load: cannot bind the relay address\n";
    return 2;
  }
  std::map<std::uint32_t, Client> inflight;
  int started = 0, acked = 0, retries = 0;
  auto send = [&](Client& c) {
    DhcpPacket p;
    p.xid = c.xid;
    p.set_mac(c.mac);
    p.giaddr = relay_ip;
    p.hops = 1;
    p.options.set_u8(opt::message_type,
                     static_cast<std::uint8_t>(c.requesting ? DhcpMessageType::request : DhcpMessageType::discover));
    if (c.requesting) {
      p.options.set_ip(opt::server_id, c.server);
      p.options.set_ip(opt::requested_ip, c.offered);
    }
    sock.send(p, server_ip, server_port);
    c.sent = Clock::now();
  };
  auto t0 = Clock::now();
  std::vector<std::uint8_t> buf(kMaxPacketSize);
  while ((started < total || !inflight.empty()) && Clock::now() < deadline) {
    while (started < total && static_cast<int>(inflight.size()) < concurrency) {
      Client c;
      c.mac.bytes = {0x02, 0x00, static_cast<std::uint8_t>(started >> 24), static_cast<std::uint8_t>(started >> 16),
                     static_cast<std::uint8_t>(started >> 8), static_cast<std::uint8_t>(started)};
      c.xid = 0x10000000u + static_cast<std::uint32_t>(started);
      ++started;
      auto& ref = inflight[c.xid] = c;
      send(ref);
    }
    pollfd pfd{sock.fd(), POLLIN, 0};
    ::poll(&pfd, 1, 50);
    for (;;) {
      ssize_t n = ::recv(sock.fd(), buf.data(), buf.size(), MSG_DONTWAIT);
      if (n < 0) break;
      auto p = decode_dhcp(std::span(buf.data(), static_cast<std::size_t>(n)));
      if (!p) continue;
      auto it = inflight.find(p->xid);
      if (it == inflight.end()) continue;
      Client& c = it->second;
      auto t = p->message_type();
      if (!c.requesting && t == DhcpMessageType::offer) {
        c.requesting = true;
        c.offered = p->yiaddr;
        c.server = p->options.ip(opt::server_id).value_or(0);
        send(c);
      } else if (c.requesting && t == DhcpMessageType::ack) {
        ++acked;
        inflight.erase(it);
      } else if (c.requesting && t == DhcpMessageType::nak) {
        c.requesting = false;  // start over, as a client would
        send(c);
      }
    }
    auto now = Clock::now();
    for (auto& [xid, c] : inflight)
      if (now - c.sent > kRetransmit) {
        ++retries;
        send(c);
      }
  }
  double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("clients=%d acked=%d lost=%d retries=%d seconds=%.3f rate=%.0f\n", total, acked, total - acked, retries,
              seconds, acked / seconds);
  return acked == total ? 0 : 1;
}
