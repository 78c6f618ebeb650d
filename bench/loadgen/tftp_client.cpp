#include "bench/loadgen/tftp_client.h"

#include <arpa/inet.h>
#include <cerrno>
#include <memory>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pxe/tftp_options.h"
#include "pxe/tftp_packet.h"

namespace ingot::bench {
namespace tftp = ingot::pxe::tftp;
namespace {

using Clock = std::chrono::steady_clock;
// The client resends its last packet after this much silence, and gives up after kMaxResends.
constexpr auto kResend = std::chrono::milliseconds(500);
constexpr int kMaxResends = 10;
// Room for a whole window of the largest blocks, so the client never drops what servers send.
constexpr int kReceiveBuffer = 8 << 20;

struct Transfer {
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

class Runner {
 public:
  Runner(const TftpJob& job) : job_(job), ep_(epoll_create1(EPOLL_CLOEXEC)), rx_(tftp::kMaxPacketSize + 1) {
    std::vector<tftp::Option> opts;
    if (job.blksize != 512) opts.push_back({"blksize", std::to_string(job.blksize)});
    if (job.windowsize != 1) opts.push_back({"windowsize", std::to_string(job.windowsize)});
    rrq_ = tftp::encode(tftp::Request{tftp::Opcode::rrq, job.file, "octet", opts});
  }
  ~Runner() { ::close(ep_); }

  std::vector<TftpResult> run(unsigned total, unsigned concurrent, std::chrono::seconds deadline) {
    std::vector<TftpResult> results;
    std::vector<std::unique_ptr<Transfer>> live;
    unsigned started = 0;
    const auto end = Clock::now() + deadline;
    while ((started < total || !live.empty()) && Clock::now() < end) {
      while (started < total && live.size() < concurrent) {
        live.push_back(start());
        ++started;
      }
      epoll_event evs[64];
      int n = epoll_wait(ep_, evs, 64, 100);
      for (int i = 0; i < n; ++i) on_readable(*static_cast<Transfer*>(evs[i].data.ptr));
      check_timeouts(live);
      for (auto it = live.begin(); it != live.end();) {
        if ((*it)->done) {
          ::close((*it)->fd);
          results.push_back((*it)->result);
          it = live.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (auto& t : live) {
      ::close(t->fd);
      t->result.error = "deadline";
      results.push_back(t->result);
    }
    return results;
  }

 private:
  std::unique_ptr<Transfer> start() {
    auto t = std::make_unique<Transfer>();
    t->fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    ::setsockopt(t->fd, SOL_SOCKET, SO_RCVBUF, &kReceiveBuffer, sizeof kReceiveBuffer);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = t.get();
    epoll_ctl(ep_, EPOLL_CTL_ADD, t->fd, &ev);
    t->started = t->last_activity = Clock::now();
    t->last_sent = rrq_;
    send_to(*t, job_.server, rrq_);
    return t;
  }

  void send_to(Transfer& t, const sockaddr_in& to, const std::vector<std::uint8_t>& b) {
    ::sendto(t.fd, b.data(), b.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  }

  void ack(Transfer& t, std::uint64_t block) {
    std::uint8_t a[4] = {0, 4, std::uint8_t(block >> 8), std::uint8_t(block)};
    ::sendto(t.fd, a, 4, 0, reinterpret_cast<const sockaddr*>(&t.peer), sizeof t.peer);
    t.acked = block;
    t.last_sent.assign(a, a + 4);
  }

  void finish(Transfer& t, bool ok, std::string error) {
    t.done = true;
    t.result.ok = ok && (job_.expect_size == 0 || t.bytes == job_.expect_size);
    t.result.bytes = t.bytes;
    t.result.seconds = std::chrono::duration<double>(Clock::now() - t.started).count();
    t.result.error = ok && !t.result.ok ? "size " + std::to_string(t.bytes) : std::move(error);
  }

  void on_readable(Transfer& t) {
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

  void on_packet(Transfer& t, std::span<const std::uint8_t> d) {
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

  void on_data(Transfer& t, std::uint16_t wire, std::size_t len) {
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

  void check_timeouts(std::vector<std::unique_ptr<Transfer>>& live) {
    auto now = Clock::now();
    for (auto& t : live) {
      if (t->done || now - t->last_activity < kResend) continue;
      if (++t->resends > kMaxResends) {
        finish(*t, false, "timeout");
        continue;
      }
      t->last_activity = now;
      send_to(*t, t->have_peer ? t->peer : job_.server, t->last_sent);
    }
  }

  const TftpJob& job_;
  int ep_;
  std::vector<std::uint8_t> rx_;
  std::vector<std::uint8_t> rrq_;
};

}  // namespace

std::vector<TftpResult> run_tftp(const TftpJob& job, unsigned total, unsigned concurrent, std::chrono::seconds deadline) {
  Runner r(job);
  return r.run(total, concurrent, deadline);
}

}  // namespace ingot::bench
