#include "bench/loadgen/tftp_client.h"

#include <arpa/inet.h>
#include <cerrno>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pxe/tftp_options.h"
#include "pxe/tftp_packet.h"

namespace ingot::bench {
namespace tftp = ingot::pxe::tftp;
using Clock = std::chrono::steady_clock;

namespace {
// The client resends its last packet after this much silence, and gives up after kMaxResends.
constexpr auto kResend = std::chrono::milliseconds(500);
constexpr int kMaxResends = 10;
// Room for a whole window of the largest blocks, so the client never drops what servers send.
constexpr int kReceiveBuffer = 8 << 20;
}  // namespace

struct TftpTransfer {
  int fd = -1;
  sockaddr_in peer{};  // the server's transfer port once it answered
  bool have_peer = false;
  unsigned blksize = 512, window = 1;
  std::uint64_t expected = 1;  // next block wanted
  std::uint64_t acked = 0;     // last block acknowledged
  std::uint64_t bytes = 0;
  std::vector<std::uint8_t> last_sent;
  Clock::time_point started, last_activity;
  int resends = 0;
  bool done = false;
  TftpResult result;
};

TftpPool::TftpPool(const TftpJob& job, int epoll_fd) : job_(job), ep_(epoll_fd), rx_(tftp::kMaxPacketSize + 1) {
  std::vector<tftp::Option> opts;
  if (job.blksize != 512) opts.push_back({"blksize", std::to_string(job.blksize)});
  if (job.windowsize != 1) opts.push_back({"windowsize", std::to_string(job.windowsize)});
  rrq_ = tftp::encode(tftp::Request{tftp::Opcode::rrq, job.file, "octet", opts});
}

TftpPool::~TftpPool() {
  for (auto& t : live_) ::close(t->fd);
}

void TftpPool::start() {
  auto t = std::make_unique<TftpTransfer>();
  t->fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  ::setsockopt(t->fd, SOL_SOCKET, SO_RCVBUF, &kReceiveBuffer, sizeof kReceiveBuffer);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = t.get();
  epoll_ctl(ep_, EPOLL_CTL_ADD, t->fd, &ev);
  t->started = t->last_activity = Clock::now();
  t->last_sent = rrq_;
  ::sendto(t->fd, rrq_.data(), rrq_.size(), 0, reinterpret_cast<const sockaddr*>(&job_.server), sizeof job_.server);
  live_.push_back(std::move(t));
}

void TftpPool::ack(TftpTransfer& t, std::uint64_t block) {
  std::uint8_t a[4] = {0, 4, std::uint8_t(block >> 8), std::uint8_t(block)};
  ::sendto(t.fd, a, 4, 0, reinterpret_cast<const sockaddr*>(&t.peer), sizeof t.peer);
  t.acked = block;
  t.last_sent.assign(a, a + 4);
}

void TftpPool::finish(TftpTransfer& t, bool ok, std::string error) {
  t.done = true;
  t.result.ok = ok && (job_.expect_size == 0 || t.bytes == job_.expect_size);
  t.result.bytes = t.bytes;
  t.result.seconds = std::chrono::duration<double>(Clock::now() - t.started).count();
  t.result.error = ok && !t.result.ok ? "size " + std::to_string(t.bytes) : std::move(error);
}

void TftpPool::on_readable(void* p) {
  auto& t = *static_cast<TftpTransfer*>(p);
  while (!t.done) {
    sockaddr_in from{};
    socklen_t len = sizeof from;
    auto n = ::recvfrom(t.fd, rx_.data(), rx_.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0) return;  // EAGAIN: drained
    if (!t.have_peer) {
      t.peer = from;
      t.have_peer = true;
    }
    t.last_activity = Clock::now();
    t.resends = 0;
    on_packet(t, std::span<const std::uint8_t>(rx_.data(), static_cast<std::size_t>(n)));
  }
}

void TftpPool::on_packet(TftpTransfer& t, std::span<const std::uint8_t> d) {
  if (d.size() >= 4 && d[1] == 3) return on_data(t, std::uint16_t(d[2] << 8 | d[3]), d.size() - 4);
  auto p = tftp::decode(d);
  if (!p) return;
  if (auto* o = std::get_if<tftp::Oack>(&*p)) {
    auto n = tftp::negotiate(o->options, 0);
    t.blksize = static_cast<unsigned>(n.use.blksize);
    t.window = n.use.windowsize;
    return ack(t, 0);
  }
  if (auto* e = std::get_if<tftp::ErrorPacket>(&*p)) finish(t, false, "server error: " + e->message);
}

void TftpPool::on_data(TftpTransfer& t, std::uint16_t wire, std::size_t len) {
  if (wire != static_cast<std::uint16_t>(t.expected)) {
    // A gap or a resent old block: say where we are (RFC 7440 §4) unless we just did.
    if (t.acked != t.expected - 1 || t.window == 1) ack(t, t.expected - 1);
    return;
  }
  t.bytes += len;
  if (len < t.blksize) {
    ack(t, t.expected);
    return finish(t, true, {});
  }
  if (t.expected - t.acked >= t.window) ack(t, t.expected);
  ++t.expected;
}

void TftpPool::tick() {
  auto now = Clock::now();
  for (auto& t : live_) {
    if (t->done || now - t->last_activity < kResend) continue;
    if (++t->resends > kMaxResends) {
      finish(*t, false, "timeout");
      continue;
    }
    t->last_activity = now;
    const auto& to = t->have_peer ? t->peer : job_.server;
    ::sendto(t->fd, t->last_sent.data(), t->last_sent.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  }
  for (auto it = live_.begin(); it != live_.end();) {
    if ((*it)->done) {
      ::close((*it)->fd);
      results_.push_back((*it)->result);
      it = live_.erase(it);
    } else {
      ++it;
    }
  }
}

void TftpPool::abandon(const std::string& why) {
  for (auto& t : live_) {
    ::close(t->fd);
    t->result.error = why;
    results_.push_back(t->result);
  }
  live_.clear();
}

std::vector<TftpResult> run_tftp(const TftpJob& job, unsigned total, unsigned concurrent, std::chrono::seconds deadline) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  TftpPool pool(job, ep);
  unsigned started = 0;
  const auto end = Clock::now() + deadline;
  while ((started < total || pool.live() > 0) && Clock::now() < end) {
    while (started < total && pool.live() < concurrent) {
      pool.start();
      ++started;
    }
    epoll_event evs[64];
    int n = epoll_wait(ep, evs, 64, 100);
    for (int i = 0; i < n; ++i) pool.on_readable(evs[i].data.ptr);
    pool.tick();
  }
  pool.abandon("deadline");
  ::close(ep);
  return std::move(pool.results());
}

}  // namespace ingot::bench
