#include "bench/loadgen/storm.h"

#include <arpa/inet.h>
#include <deque>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pxe/dhcp_packet.h"

namespace ingot::bench {
namespace {

using Clock = std::chrono::steady_clock;
namespace pxe = ingot::pxe;

// Like PXE firmware: resend after a second of silence, give up after a few tries.
constexpr auto kDhcpResend = std::chrono::seconds(1);
constexpr int kDhcpTries = 5;
constexpr std::uint32_t kXidBase = 0x1b000000;
constexpr int kRelayBuffer = 4 << 20;

enum class Phase { discovering, requesting, bound, failed };

struct Client {
  Phase phase = Phase::discovering;
  pxe::Ipv4 offered = 0, server_id = 0;
  Clock::time_point sent;
  int tries = 0;
};

class Storm {
 public:
  Storm(const StormJob& job) : job_(job), ep_(epoll_create1(EPOLL_CLOEXEC)), pool_(job.tftp, ep_), clients_(job.clients) {}
  ~Storm() {
    if (relay_ >= 0) ::close(relay_);
    ::close(ep_);
  }

  StormResult run(std::chrono::seconds deadline) {
    StormResult r;
    if (!open_relay(r)) return r;
    const auto t0 = Clock::now(), end = t0 + deadline;
    for (unsigned i = 0; i < clients_.size(); ++i) send(i);
    while (Clock::now() < end && !finished()) {
      epoll_event evs[64];
      int n = epoll_wait(ep_, evs, 64, 10);
      for (int i = 0; i < n; ++i) {
        if (evs[i].data.ptr == nullptr) {
          drain_relay(r, t0);
        } else {
          pool_.on_readable(evs[i].data.ptr);
        }
      }
      while (!ready_.empty() && pool_.live() < job_.tftp_concurrent) {
        ready_.pop_front();
        pool_.start();
      }
      pool_.tick();
      resend_dhcp();
    }
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    pool_.abandon("deadline");
    for (const auto& c : clients_) r.dhcp_ok += c.phase == Phase::bound;
    for (const auto& t : pool_.results()) {
      r.tftp_ok += t.ok;
      if (!t.ok && r.first_error.empty()) r.first_error = "tftp: " + t.error;
    }
    return r;
  }

 private:
  bool open_relay(StormResult& r) {
    relay_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    // dnsmasq (with --bind-interfaces) and ingot both hold the DHCP port on another address.
    ::setsockopt(relay_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    ::setsockopt(relay_, SOL_SOCKET, SO_RCVBUF, &kRelayBuffer, sizeof kRelayBuffer);
    if (::bind(relay_, reinterpret_cast<const sockaddr*>(&job_.relay), sizeof job_.relay) != 0) {
      r.first_error = "cannot bind the relay address";
      return false;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = nullptr;
    epoll_ctl(ep_, EPOLL_CTL_ADD, relay_, &ev);
    return true;
  }

  bool finished() const {
    for (const auto& c : clients_)
      if (c.phase == Phase::discovering || c.phase == Phase::requesting) return false;
    return ready_.empty() && pool_.live() == 0;
  }

  void send(unsigned i) {
    Client& c = clients_[i];
    pxe::DhcpPacket p;
    p.hops = 1;
    p.xid = kXidBase + i;
    p.giaddr = ntohl(job_.relay.sin_addr.s_addr);
    pxe::MacAddress mac;
    mac.bytes = {0x02, 0x1b, 0, std::uint8_t(i >> 16), std::uint8_t(i >> 8), std::uint8_t(i)};
    p.set_mac(mac);
    const bool discover = c.phase == Phase::discovering;
    p.options.set_u8(pxe::opt::message_type,
                     static_cast<std::uint8_t>(discover ? pxe::DhcpMessageType::discover : pxe::DhcpMessageType::request));
    if (!discover) {
      p.options.set_ip(pxe::opt::requested_ip, c.offered);
      p.options.set_ip(pxe::opt::server_id, c.server_id);
    }
    p.options.set(pxe::opt::vendor_class, std::string_view("PXEClient:Arch:00000:UNDI:002001"));
    p.options.set_u16(pxe::opt::client_arch, 0);
    auto bytes = pxe::encode_dhcp(p);
    if (bytes)
      ::sendto(relay_, bytes->data(), bytes->size(), 0, reinterpret_cast<const sockaddr*>(&job_.dhcp_server),
               sizeof job_.dhcp_server);
    c.sent = Clock::now();
    ++c.tries;
  }

  void drain_relay(StormResult& r, Clock::time_point t0) {
    std::uint8_t buf[pxe::kMaxPacketSize];
    for (;;) {
      auto n = ::recv(relay_, buf, sizeof buf, 0);
      if (n < 0) return;
      auto p = pxe::decode_dhcp(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(n)));
      if (!p || p->xid < kXidBase || p->xid - kXidBase >= clients_.size()) continue;
      unsigned i = p->xid - kXidBase;
      Client& c = clients_[i];
      auto type = p->message_type();
      if (type == pxe::DhcpMessageType::offer && c.phase == Phase::discovering) {
        c.phase = Phase::requesting;
        c.offered = p->yiaddr;
        c.server_id = p->options.ip(pxe::opt::server_id).value_or(0);
        c.tries = 0;
        send(i);
      } else if (type == pxe::DhcpMessageType::ack && c.phase == Phase::requesting) {
        c.phase = Phase::bound;
        r.dhcp_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        ready_.push_back(i);
      } else if (type == pxe::DhcpMessageType::nak && c.phase == Phase::requesting) {
        c.phase = Phase::discovering;
        c.tries = 0;
        send(i);
      }
    }
  }

  void resend_dhcp() {
    auto now = Clock::now();
    for (unsigned i = 0; i < clients_.size(); ++i) {
      Client& c = clients_[i];
      if ((c.phase != Phase::discovering && c.phase != Phase::requesting) || now - c.sent < kDhcpResend) continue;
      if (c.tries >= kDhcpTries) {
        c.phase = Phase::failed;
        continue;
      }
      send(i);
    }
  }

  const StormJob& job_;
  int ep_;
  int relay_ = -1;
  TftpPool pool_;
  std::vector<Client> clients_;
  std::deque<unsigned> ready_;
};

}  // namespace

StormResult run_storm(const StormJob& job, std::chrono::seconds deadline) {
  Storm s(job);
  return s.run(deadline);
}

}  // namespace ingot::bench
