#include "pxe/tftp_server.h"

#include <array>
#include <set>

#include <boost/asio/redirect_error.hpp>

#include "common/log.h"
#include "pxe/tftp_error.h"
#include "pxe/tftp_transfer.h"

namespace ingot::pxe::tftp {

using asio::ip::udp;

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(asio::io_context& io, ServerConfig c, Root r) : io(io), config(std::move(c)), root(std::move(r)), listener(io) {}

  asio::awaitable<void> listen_loop();
  void on_datagram(std::span<const std::uint8_t> d, const udp::endpoint& peer);
  void on_read_request(Request& req, const udp::endpoint& peer);
  void send_error(const udp::endpoint& peer, ErrorCode code, const std::string& message);
  bool should_log_drop();

  asio::io_context& io;
  ServerConfig config;
  Root root;
  udp::socket listener;
  std::set<udp::endpoint> active;  // clients with a transfer running: a repeated RRQ is a retry
  bool stopped = false;
  // Malformed-packet logging is capped per second so garbage cannot flood the log.
  std::chrono::steady_clock::time_point drop_window{};
  unsigned drops_in_window = 0;
};

// Bounds the log to this many dropped-packet lines per second.
constexpr unsigned kMaxDropLogsPerSecond = 20;

Result<std::unique_ptr<Server>> Server::start(asio::io_context& io, const ServerConfig& config) {
  auto root = Root::open(config.root);
  if (!root) return fail(root.error().code, "--tftp-root: " + root.error().message());
  auto impl = std::make_shared<Impl>(io, config, std::move(*root));
  boost::system::error_code ec;
  impl->listener.open(config.listen.protocol(), ec);
  if (!ec) impl->listener.bind(config.listen, ec);
  if (ec) {
    std::ostringstream where;
    where << config.listen;
    return fail(std::error_code(ec.value(), std::generic_category()), "tftp: cannot listen on " + where.str() + ": " + ec.message());
  }
  asio::co_spawn(io, [impl]() { return impl->listen_loop(); }, asio::detached);
  INGOT_LOG(info, "tftp") << "listening on " << impl->listener.local_endpoint() << ", root " << impl->root.path().string();
  return std::unique_ptr<Server>(new Server(impl));
}

Server::~Server() {
  impl_->stopped = true;
  boost::system::error_code ignored;
  impl_->listener.close(ignored);
}

udp::endpoint Server::local_endpoint() const { return impl_->listener.local_endpoint(); }

asio::awaitable<void> Server::Impl::listen_loop() {
  auto self = shared_from_this();
  // One byte over the largest legal request, so an oversized one is seen as such.
  std::array<std::uint8_t, kMaxRequestSize + 1> buf;
  for (;;) {
    udp::endpoint peer;
    boost::system::error_code ec;
    std::size_t n = co_await listener.async_receive_from(asio::buffer(buf), peer, asio::redirect_error(asio::use_awaitable, ec));
    if (stopped || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      INGOT_LOG(warn, "tftp") << "receive: " << ec.message();
      continue;
    }
    on_datagram(std::span<const std::uint8_t>(buf.data(), n), peer);
  }
}

bool Server::Impl::should_log_drop() {
  auto now = std::chrono::steady_clock::now();
  if (now - drop_window > std::chrono::seconds(1)) {
    drop_window = now;
    drops_in_window = 0;
  }
  return ++drops_in_window <= kMaxDropLogsPerSecond;
}

void Server::Impl::on_datagram(std::span<const std::uint8_t> d, const udp::endpoint& peer) {
  auto p = decode(d);
  if (!p) {
    if (should_log_drop()) {
      INGOT_LOG(warn, "tftp") << peer << ": dropped malformed request: " << p.error().message();
    }
    return;
  }
  auto* req = std::get_if<Request>(&*p);
  if (!req) {
    if (should_log_drop()) {
      INGOT_LOG(debug, "tftp") << peer << ": dropped a non-request packet on the request port";
    }
    return;
  }
  if (req->op == Opcode::wrq) {
    INGOT_LOG(warn, "tftp") << peer << ": refused write request for '" << req->filename << "'";
    return send_error(peer, ErrorCode::access_violation, "write requests are refused: this server is read-only");
  }
  on_read_request(*req, peer);
}

void Server::Impl::on_read_request(Request& req, const udp::endpoint& peer) {
  if (active.count(peer)) return;  // the client retried before our first answer reached it
  // netascii would rewrite line endings of binary boot files; no PXE client asks for it.
  if (!iequals(req.mode, "octet")) {
    INGOT_LOG(warn, "tftp") << peer << ": refused '" << req.filename << "' in mode '" << req.mode << "'";
    return send_error(peer, ErrorCode::illegal_operation, "mode '" + req.mode + "' is not supported; use octet");
  }
  if (active.size() >= kMaxTransfers) {
    INGOT_LOG(warn, "tftp") << peer << ": busy (" << active.size() << " transfers), refused '" << req.filename << "'";
    return send_error(peer, ErrorCode::not_defined, "server busy, retry later");
  }
  auto file = root.open_file(req.filename);
  if (!file) {
    const auto& e = file.error();
    INGOT_LOG(warn, "tftp") << peer << ": refused '" << req.filename << "': " << e.message();
    if (e.code == Errc::path_refused || e.code == Errc::not_regular_file || e.code == std::errc::permission_denied)
      return send_error(peer, ErrorCode::access_violation, e.message());
    return send_error(peer, ErrorCode::file_not_found, "'" + req.filename + "' not found");
  }
  udp::socket sock(io);
  boost::system::error_code ec;
  sock.open(peer.protocol(), ec);
  if (!ec) sock.bind(udp::endpoint(listener.local_endpoint().address(), 0), ec);
  if (!ec) sock.connect(peer, ec);
  if (ec) {
    INGOT_LOG(warn, "tftp") << peer << ": cannot open a transfer socket: " << ec.message();
    return send_error(peer, ErrorCode::not_defined, "server cannot open a socket");
  }
  auto negotiated = negotiate(req.options, file->size());
  active.insert(peer);
  INGOT_LOG(debug, "tftp") << peer << " requested '" << req.filename << "' (" << file->size() << " bytes, blksize "
                           << negotiated.use.blksize << ", windowsize " << negotiated.use.windowsize << ")";
  Transfer::start(TransferSetup{std::move(sock), std::move(*file), std::move(negotiated), std::move(req.filename), peer,
                                config.rto, kMaxRetries,
                                [self = shared_from_this(), peer] { self->active.erase(peer); }});
}

// Errors go out from a fresh port like any answer to a request (RFC 1350 §4), so clients
// that lock onto the first reply's port see the same thing as for a transfer.
void Server::Impl::send_error(const udp::endpoint& peer, ErrorCode code, const std::string& message) {
  udp::socket sock(io);
  boost::system::error_code ec;
  sock.open(peer.protocol(), ec);
  if (!ec) sock.bind(udp::endpoint(listener.local_endpoint().address(), 0), ec);
  if (!ec) sock.send_to(asio::buffer(encode(ErrorPacket{code, message})), peer, 0, ec);
  if (ec) {
    INGOT_LOG(warn, "tftp") << peer << ": cannot send error: " << ec.message();
  }
}

}  // namespace ingot::pxe::tftp
