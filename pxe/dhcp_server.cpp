#include "pxe/dhcp_server.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "pxe/dhcp_packet.h"
#include "pxe/dhcp_reply.h"

namespace ingot::pxe {
namespace {

std::error_code last_error() { return {errno, std::generic_category()}; }

std::string endpoint(Ipv4 ip, std::uint16_t port) { return ipv4_to_string(ip) + ":" + std::to_string(port); }

std::string describe(const DhcpClientInfo& c) {
  std::string s = c.mac.to_string() + " arch " + std::to_string(c.arch);
  if (c.ipxe) s += " iPXE";
  else if (c.pxe) s += " PXE";
  if (c.uuid) s += " uuid " + *c.uuid;
  return s;
}

}  // namespace

struct DhcpServer::Listener {
  explicit Listener(asio::io_context& io) : socket(io) {}
  asio::ip::udp::socket socket;
  std::uint16_t port = 0;
  bool boot_server = false;
};

struct DhcpServer::Outgoing {
  std::vector<std::uint8_t> bytes;
  ReplyDestination to;
  int ifindex = 0;
  Ipv4 source = 0;
};

DhcpServer::DhcpServer(asio::io_context& io, DhcpServerConfig config, DhcpResponder& responder)
    : io_(io), config_(std::move(config)), responder_(responder) {
  if (!config_.clock)
    config_.clock = [] {
      return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
}

DhcpServer::~DhcpServer() {
  *alive_ = false;  // handlers already queued see this and return without touching *this
  for (auto& l : listeners_) {
    boost::system::error_code ignored;
    l->socket.close(ignored);
  }
}

Result<std::unique_ptr<DhcpServer>> DhcpServer::start(asio::io_context& io, DhcpServerConfig config,
                                                      DhcpResponder& responder) {
  std::unique_ptr<DhcpServer> s(new DhcpServer(io, std::move(config), responder));
  if (auto r = s->open(s->config_.port, false); !r) return fail(r.error());
  if (s->config_.boot_server_port)
    if (auto r = s->open(kPxeBootServerPort, true); !r) return fail(r.error());
  for (auto& l : s->listeners_) s->arm(*l);
  return s;
}

std::uint16_t DhcpServer::port() const { return listeners_.empty() ? 0 : listeners_.front()->port; }

Result<void> DhcpServer::open(std::uint16_t port, bool boot_server) {
  std::string where = endpoint(config_.listen, port) +
                      (config_.interface.empty() ? "" : " on " + config_.interface);
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(last_error(), "dhcp: socket: " + where);
  int on = 1;
  // REUSEADDR lets a ProxyDHCP share port 67 with a DHCP server bound to a specific address.
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  ::setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof on);
  ::setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof on);
  if (!config_.interface.empty() &&
      ::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, config_.interface.c_str(),
                   static_cast<socklen_t>(config_.interface.size())) != 0) {
    auto ec = last_error();
    ::close(fd);
    return fail(ec, "dhcp: cannot bind to interface " + config_.interface + ": " + ec.message());
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(config_.listen);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    auto ec = last_error();
    ::close(fd);
    return fail(ec, "dhcp: cannot listen on " + where + ": " + ec.message());
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  auto l = std::make_unique<Listener>(io_);
  boost::system::error_code ec;
  l->socket.assign(asio::ip::udp::v4(), fd, ec);
  if (ec) {
    ::close(fd);
    return fail(ec, "dhcp: " + where);
  }
  l->port = ntohs(addr.sin_port);
  l->boot_server = boot_server;
  INGOT_LOG(info, "dhcp") << "listening on " << endpoint(config_.listen, l->port)
                          << (config_.interface.empty() ? "" : " (" + config_.interface + ")");
  listeners_.push_back(std::move(l));
  return ok();
}

void DhcpServer::arm(Listener& l) {
  l.socket.async_wait(asio::socket_base::wait_read, [this, &l, alive = alive_](const boost::system::error_code& ec) {
    if (!*alive || ec == asio::error::operation_aborted) return;
    if (ec) {
      INGOT_LOG(warn, "dhcp") << "wait failed: " << ec.message();
    } else {
      drain(l);
    }
    arm(l);
  });
}

void DhcpServer::drain(Listener& l) {
  std::vector<Outgoing> out;
  // One more byte than we accept, so an oversized datagram is seen as such and not truncated.
  std::array<std::uint8_t, kMaxPacketSize + 1> buf;
  for (std::size_t n = 0; n < kMaxDhcpBatch; ++n) {
    sockaddr_in from{};
    iovec iov{buf.data(), buf.size()};
    alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(in_pktinfo))> control{};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    ssize_t got = ::recvmsg(l.socket.native_handle(), &msg, MSG_DONTWAIT);
    if (got < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        INGOT_LOG(warn, "dhcp") << "receive failed: " << std::strerror(errno);
      }
      break;
    }
    int ifindex = 0;
    Ipv4 local = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
        in_pktinfo info;
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        ifindex = info.ipi_ifindex;
        local = ntohl(info.ipi_spec_dst.s_addr);
      }
    }
    handle(l, std::span(buf.data(), static_cast<std::size_t>(got)), ntohl(from.sin_addr.s_addr),
           ntohs(from.sin_port), ifindex, local, out);
  }
  if (config_.after_batch) {
    if (auto r = config_.after_batch(); !r) {
      // Not persisted means not promised: drop the replies; clients retry.
      INGOT_LOG(error, "dhcp") << r.error().message() << "; " << out.size() << " replies withheld";
      return;
    }
  }
  for (const auto& o : out) send(l, o);
}

void DhcpServer::handle(Listener& l, std::span<const std::uint8_t> bytes, Ipv4 source, std::uint16_t source_port,
                        int ifindex, Ipv4 local, std::vector<Outgoing>& out) {
  auto packet = decode_dhcp(bytes);
  if (!packet) {
    if (!may_log_drop()) return;
    INGOT_LOG(warn, "dhcp") << "dropped " << bytes.size() << " bytes from " << endpoint(source, source_port) << ": "
                            << packet.error().code.message()
                            << (packet.error().context.empty() ? "" : " (" + packet.error().context + ")");
    return;
  }
  DhcpRequest req;
  req.packet = std::move(*packet);
  req.client = client_info(req.packet);
  req.server_id = config_.server_id ? config_.server_id : local;
  req.boot_server_port = l.boot_server;
  req.now = config_.clock();
  std::string who = describe(req.client) + " " + to_string(*req.packet.message_type());
  if (req.server_id == 0) {
    INGOT_LOG(warn, "dhcp") << who << ": no IPv4 address on the receiving interface; give --advertise";
    return;
  }
  DhcpReply reply = responder_.respond(req);
  if (!reply.packet) {
    if (req.client.pxe) {
      INGOT_LOG(info, "dhcp") << who << ": no answer (" << reply.note << ")";
    } else {
      INGOT_LOG(debug, "dhcp") << who << ": no answer (" << reply.note << ")";
    }
    return;
  }
  std::size_t max = req.packet.options.u16(opt::max_message_size).value_or(kDefaultMaxReply);
  auto bytes_out = encode_dhcp(*reply.packet, max);
  if (!bytes_out) {
    INGOT_LOG(error, "dhcp") << who << ": cannot encode reply: " << bytes_out.error().message();
    return;
  }
  Outgoing o;
  o.bytes = std::move(*bytes_out);
  o.to = reply_destination(req.packet, *reply.packet, source, source_port, config_.port == 0 ? l.port : config_.port,
                           l.boot_server);
  o.ifindex = ifindex;
  o.source = req.server_id;
  INGOT_LOG(info, "dhcp") << who << ": " << reply.note << " → " << endpoint(o.to.ip, o.to.port);
  out.push_back(std::move(o));
}

bool DhcpServer::may_log_drop() {
  auto now = std::chrono::steady_clock::now();
  if (now - drop_window_ >= std::chrono::minutes(1)) {
    if (drops_silenced_ > 0) {
      INGOT_LOG(warn, "dhcp") << drops_silenced_ << " more malformed packets dropped without a log line";
    }
    drop_window_ = now;
    drops_logged_ = 0;
    drops_silenced_ = 0;
  }
  if (drops_logged_ < kMaxDropLogsPerMinute) {
    ++drops_logged_;
    return true;
  }
  ++drops_silenced_;
  return false;
}

void DhcpServer::send(Listener& l, const Outgoing& o) {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(o.to.port);
  to.sin_addr.s_addr = htonl(o.to.ip);
  iovec iov{const_cast<std::uint8_t*>(o.bytes.data()), o.bytes.size()};
  msghdr msg{};
  msg.msg_name = &to;
  msg.msg_namelen = sizeof to;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  // The reply leaves by the link the request came in on (a broadcast has no route to choose).
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(in_pktinfo))> control{};
  if (o.ifindex != 0) {
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
    in_pktinfo info{};
    info.ipi_ifindex = o.ifindex;
    info.ipi_spec_dst.s_addr = htonl(o.source);
    std::memcpy(CMSG_DATA(c), &info, sizeof info);
  }
  if (::sendmsg(l.socket.native_handle(), &msg, MSG_DONTWAIT) < 0) {
    INGOT_LOG(warn, "dhcp") << "send to " << endpoint(o.to.ip, o.to.port) << " failed: " << std::strerror(errno);
  }
}

}  // namespace ingot::pxe
