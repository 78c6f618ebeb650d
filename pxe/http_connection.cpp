#include "pxe/http_connection.h"

#include <cerrno>
#include <sys/sendfile.h>
#include <unistd.h>
#include <vector>

#include "pxe/http_server.h"

namespace ingot::pxe {
namespace {
using asio::use_awaitable;
using boost::system::error_code;

// One chunk of a chunked body (RFC 9112 §7.1): size in hex, CRLF, data, CRLF.
class ChunkWriter final : public HttpStreamWriter {
 public:
  explicit ChunkWriter(HttpConnection& c) : c_(c) {}
  asio::awaitable<bool> write(std::string_view data) override {
    if (failed_) co_return false;
    if (data.empty()) co_return true;  // an empty chunk would end the body
    char size[20];
    int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    std::array<asio::const_buffer, 3> bufs{asio::buffer(size, std::size_t(n)), asio::buffer(data),
                                           asio::buffer("\r\n", 2)};
    c_.expire_in(kWriteStallTimeout);
    error_code ec;
    co_await asio::async_write(c_.socket, bufs, asio::redirect_error(use_awaitable, ec));
    failed_ = bool(ec);
    if (!failed_) sent_ += data.size();
    co_return !failed_;
  }
  bool failed() const { return failed_; }
  std::int64_t sent() const { return sent_; }

 private:
  HttpConnection& c_;
  bool failed_ = false;
  std::int64_t sent_ = 0;
};

asio::awaitable<std::int64_t> sendfile_body(HttpConnection& c, const FileBody& f) {
  int out = c.socket.native_handle();
  error_code ec;
  c.socket.native_non_blocking(true, ec);
  if (ec) co_return -1;
  off_t off = static_cast<off_t>(f.offset);
  std::uint64_t left = f.length, since_yield = 0;
  while (left > 0) {
    ssize_t n = ::sendfile(out, f.file.get(), &off, std::min<std::uint64_t>(left, kFileChunk));
    if (n > 0) {
      left -= std::uint64_t(n);
      since_yield += std::uint64_t(n);
      c.expire_in(kWriteStallTimeout);
      if (since_yield >= kYieldBytes) {
        since_yield = 0;
        co_await asio::post(c.socket.get_executor(), use_awaitable);
      }
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      co_await c.socket.async_wait(asio::ip::tcp::socket::wait_write, asio::redirect_error(use_awaitable, ec));
      if (ec) co_return -1;
      continue;
    }
    co_return -1;  // n == 0: the file shrank under us; the length we promised cannot be kept
  }
  co_return static_cast<std::int64_t>(f.length);
}

asio::awaitable<std::int64_t> pread_body(HttpConnection& c, const FileBody& f) {
  std::vector<char> buf(std::min<std::uint64_t>(f.length, kFileChunk));
  std::uint64_t off = f.offset, left = f.length;
  error_code ec;
  while (left > 0) {
    ssize_t n = ::pread(f.file.get(), buf.data(), std::min<std::uint64_t>(left, buf.size()), off_t(off));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) co_return -1;
    c.expire_in(kWriteStallTimeout);
    co_await asio::async_write(c.socket, asio::buffer(buf.data(), std::size_t(n)),
                               asio::redirect_error(use_awaitable, ec));
    if (ec) co_return -1;
    off += std::uint64_t(n);
    left -= std::uint64_t(n);
  }
  co_return static_cast<std::int64_t>(f.length);
}

}  // namespace

asio::awaitable<void> watch_deadline(std::shared_ptr<HttpConnection> c) {
  while (!c->done) {
    c->timer.expires_at(c->deadline);
    error_code ec;
    co_await c->timer.async_wait(asio::redirect_error(use_awaitable, ec));
    if (c->done) break;
    if (HttpConnection::clock::now() >= c->deadline) {
      c->timed_out = true;
      c->socket.close(ec);  // aborts whatever the session waits on
      break;
    }
  }
}

asio::awaitable<std::int64_t> send_response(HttpConnection& c, HttpResponse& r, std::string head, bool head_only,
                                            bool use_sendfile) {
  bool bodiless = head_only || r.status < 200 || r.status == 204 || r.status == 304;
  c.expire_in(kWriteStallTimeout);
  error_code ec;
  if (auto* s = std::get_if<std::string>(&r.body)) {
    std::array<asio::const_buffer, 2> bufs{asio::buffer(head), asio::buffer(bodiless ? std::string_view() : *s)};
    co_await asio::async_write(c.socket, bufs, asio::redirect_error(use_awaitable, ec));
    co_return ec ? -1 : (bodiless ? 0 : std::int64_t(s->size()));
  }
  co_await asio::async_write(c.socket, asio::buffer(head), asio::redirect_error(use_awaitable, ec));
  if (ec) co_return -1;
  if (bodiless) co_return 0;
  // Two plain statements: GCC 12 mishandles a co_await on a conditional expression.
  if (auto* f = std::get_if<FileBody>(&r.body)) {
    if (use_sendfile) co_return co_await sendfile_body(c, *f);
    co_return co_await pread_body(c, *f);
  }
  auto& stream = std::get<StreamBody>(r.body);
  ChunkWriter w(c);
  if (stream) co_await stream(w);
  if (w.failed()) co_return -1;
  co_await asio::async_write(c.socket, asio::buffer("0\r\n\r\n", 5), asio::redirect_error(use_awaitable, ec));
  co_return ec ? -1 : w.sent();
}

}  // namespace ingot::pxe
