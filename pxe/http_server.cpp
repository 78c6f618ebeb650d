#include "pxe/http_server.h"

#include <array>
#include <ctime>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>

#include "common/log.h"
#include "pxe/http_connection.h"
#include "pxe/http_parser.h"
#include "pxe/http_validators.h"

namespace ingot::pxe {
namespace http = boost::beast::http;
using asio::use_awaitable;
using boost::system::error_code;
using tcp = asio::ip::tcp;

struct HttpServer::State {
  State(asio::io_context& io, HttpServerSettings s, HttpRouter r)
      : acceptor(io), settings(std::move(s)), router(std::move(r)) {}
  tcp::acceptor acceptor;
  HttpServerSettings settings;
  HttpRouter router;
  std::size_t connections = 0;
  std::time_t date_second = 0;
  std::string date;

  // Formatting a date per response would cost more than the rest of the head.
  std::string_view now_date() {
    std::time_t t = std::time(nullptr);
    if (t != date_second) {
      date_second = t;
      date = http_date(t);
    }
    return date;
  }
};

namespace {

std::string endpoint_text(const tcp::endpoint& e) {
  auto a = e.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(e.port());
}

// The peer went away or the watchdog closed the socket: nothing to answer.
bool connection_gone(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
         ec == asio::error::bad_descriptor || ec == asio::error::broken_pipe;
}

void log_request(const HttpConnection& c, std::string_view method, std::string_view target, int status,
                 std::int64_t bytes, HttpConnection::clock::time_point start, std::string_view note) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(HttpConnection::clock::now() - start).count();
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.2fms", double(us) / 1000.0);
  INGOT_LOG(info, "http") << c.peer << ' ' << method << ' ' << target << ' ' << status << ' '
                          << (bytes < 0 ? std::string("aborted") : std::to_string(bytes) + "B") << ' ' << ms
                          << (note.empty() ? "" : " ") << note;
}

// Answers a request the parser refused, then the session closes the connection: after a
// framing error the rest of the stream cannot be trusted to start a new request.
asio::awaitable<void> refuse(HttpServer::State& s, HttpConnection& c, const error_code& ec,
                             HttpConnection::clock::time_point start) {
  int status = static_cast<int>(classify(ec));
  HttpResponse r = HttpResponse::error(status);
  r.close = true;
  auto bytes = co_await send_response(c, r, serialize_head(r, false, s.now_date()), false, false);
  log_request(c, "-", "-", status, bytes, start, ec.message());
}

// After refusing a request whose body was not read: closing at once with that body unread in
// the socket makes the kernel send a reset, which can destroy our answer before the client
// reads it. So stop sending, then read and drop what the client still sends (a fixed buffer,
// bounded in bytes and time: RFC 9112 §9.6's "lingering close", as nginx does).
asio::awaitable<void> linger_discard(HttpConnection& c) {
  error_code ec;
  c.socket.shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 16 * 1024> sink;
  std::size_t dropped = 0;
  c.expire_in(kLingerTimeout);
  while (dropped <= kMaxBodyBytes) {
    std::size_t n = co_await c.socket.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
    if (ec) break;
    dropped += n;
  }
}

asio::awaitable<void> session(std::shared_ptr<HttpServer::State> s, std::shared_ptr<HttpConnection> c) {
  boost::beast::flat_buffer buf;
  for (;;) {
    BeastParser parser;
    apply_limits(parser);
    c->expire_in(kIdleTimeout);
    error_code ec;
    co_await http::async_read_header(c->socket, buf, parser, asio::redirect_error(use_awaitable, ec));
    auto start = HttpConnection::clock::now();
    if (ec) {
      if (!connection_gone(ec)) co_await refuse(*s, *c, ec, start);
      break;
    }
    if (!parser.is_done()) {
      // The head first: a gate (auth, a route's body limit) refuses before any body is read.
      BeastRequest head_msg;
      head_msg.base() = parser.get().base();
      auto head = to_request(std::move(head_msg));
      if (!head) {
        co_await refuse(*s, *c, http::error::bad_target, start);
        break;
      }
      auto length = parser.content_length();
      if (auto refused = s->router.admit(*head, length ? *length : 0)) {
        refused->close = true;  // the unread body makes the rest of the stream meaningless
        auto bytes = co_await send_response(*c, *refused, serialize_head(*refused, false, s->now_date()), false, false);
        log_request(*c, head->method, head->target, refused->status, bytes, start, "refused before its body");
        if (bytes >= 0) co_await linger_discard(*c);
        break;
      }
      auto expect = parser.get()[http::field::expect];
      if (iequals(std::string_view(expect.data(), expect.size()), "100-continue")) {
        co_await asio::async_write(c->socket, asio::buffer("HTTP/1.1 100 Continue\r\n\r\n", 25),
                                   asio::redirect_error(use_awaitable, ec));
        if (ec) break;
      }
      c->expire_in(kBodyTimeout);
      co_await http::async_read(c->socket, buf, parser, asio::redirect_error(use_awaitable, ec));
      if (ec) {
        if (!connection_gone(ec)) co_await refuse(*s, *c, ec, start);
        break;
      }
    }
    auto req = to_request(parser.release());
    if (!req) {
      co_await refuse(*s, *c, http::error::bad_target, start);
      break;
    }
    req->local_address = c->local;
    HttpResponse resp;
    try {
      resp = s->router.dispatch(*req);
    } catch (const std::exception& e) {  // a handler bug must cost one request, not the server
      INGOT_LOG(error, "http") << "handler for " << req->target << " threw: " << e.what();
      resp = HttpResponse::error(500);
    }
    if (resp.deferred) {
      auto later = std::move(resp.deferred);
      try {
        resp = co_await later();
      } catch (const std::exception& e) {
        INGOT_LOG(error, "http") << "deferred handler for " << req->target << " threw: " << e.what();
        resp = HttpResponse::error(500);
      }
    }
    bool keep = req->keep_alive && !resp.close;
    std::string head = serialize_head(resp, keep, s->now_date());
    auto bytes = co_await send_response(*c, resp, std::move(head), req->method == "HEAD", s->settings.use_sendfile);
    log_request(*c, req->method, req->target, resp.status, bytes, start, resp.note);
    if (!keep || bytes < 0) break;
  }
  c->done = true;
  c->timer.cancel();
  error_code ignored;
  c->socket.shutdown(tcp::socket::shutdown_send, ignored);
  c->socket.close(ignored);
}

asio::awaitable<void> accept_loop(std::shared_ptr<HttpServer::State> s) {
  auto ex = s->acceptor.get_executor();
  for (;;) {
    error_code ec;
    tcp::socket sock = co_await s->acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !s->acceptor.is_open()) co_return;
    if (ec) {
      // EMFILE and friends: back off instead of spinning on a listen queue we cannot drain.
      INGOT_LOG(warn, "http") << "accept: " << ec.message();
      asio::steady_timer t(ex, std::chrono::milliseconds(100));
      co_await t.async_wait(asio::redirect_error(use_awaitable, ec));
      continue;
    }
    if (s->connections >= kMaxConnections) {
      INGOT_LOG(warn, "http") << "refusing a connection: " << kMaxConnections << " already open";
      sock.close(ec);
      continue;
    }
    sock.set_option(tcp::no_delay(true), ec);
    auto c = std::make_shared<HttpConnection>(std::move(sock));
    c->peer = endpoint_text(c->socket.remote_endpoint(ec));
    c->local = endpoint_text(c->socket.local_endpoint(ec));
    ++s->connections;
    asio::co_spawn(ex, watch_deadline(c), asio::detached);
    asio::co_spawn(ex, session(s, c), [s, peer = c->peer](std::exception_ptr e) {
      --s->connections;
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        INGOT_LOG(error, "http") << peer << ": connection ended by an exception: " << x.what();
      }
    });
  }
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::start(asio::io_context& io, HttpServerSettings settings,
                                                      HttpRouter router) {
  error_code ec;
  auto address = asio::ip::make_address(settings.address, ec);
  if (ec) return fail("--listen: '" + settings.address + "' is not an IP address");
  tcp::endpoint ep(address, settings.port);
  auto state = std::make_shared<State>(io, std::move(settings), std::move(router));
  auto& a = state->acceptor;
  auto where = "HTTP on " + endpoint_text(ep) + ": ";
  if (a.open(ep.protocol(), ec); ec) return fail(std::error_code(ec.value(), std::generic_category()), where + ec.message());
  a.set_option(tcp::acceptor::reuse_address(true), ec);
  if (a.bind(ep, ec); ec) return fail(std::error_code(ec.value(), std::generic_category()), where + ec.message());
  if (a.listen(asio::socket_base::max_listen_connections, ec); ec)
    return fail(std::error_code(ec.value(), std::generic_category()), where + ec.message());
  INGOT_LOG(info, "http") << "listening on " << endpoint_text(a.local_endpoint(ec))
                          << (state->settings.use_sendfile ? " (sendfile)" : " (pread)");
  asio::co_spawn(io, accept_loop(state), asio::detached);
  return std::unique_ptr<HttpServer>(new HttpServer(state));
}

HttpServer::~HttpServer() {
  error_code ignored;
  state_->acceptor.close(ignored);
}

std::uint16_t HttpServer::port() const {
  error_code ec;
  return state_->acceptor.local_endpoint(ec).port();
}

}  // namespace ingot::pxe
