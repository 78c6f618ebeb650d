#include "pxe/tftp_transfer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>

#include "common/log.h"

namespace ingot::pxe::tftp {

void Transfer::start(TransferSetup setup) {
  auto t = std::make_shared<Transfer>(std::move(setup));
  t->begin();
}

Transfer::Transfer(TransferSetup setup)
    : s_(std::move(setup)),
      window_(s_.file.size(), s_.negotiated.use.blksize, s_.negotiated.use.windowsize),
      timer_(s_.socket.get_executor()),
      base_rto_(s_.negotiated.use.timeout_seconds ? std::chrono::milliseconds(s_.negotiated.use.timeout_seconds * 1000)
                                                  : s_.rto),
      rto_(base_rto_) {}

void Transfer::begin() {
  started_ = Clock::now();
  const std::size_t blksize = s_.negotiated.use.blksize;
  chunk_cap_ = std::max(blksize, kChunkBytes / blksize * blksize);
  // Small files (iPXE scripts, undionly.kpxe) need no more buffer than their size.
  chunk_cap_ = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_cap_, std::max<std::uint64_t>(s_.file.size(), 1)));
  chunk_ = std::make_unique<std::uint8_t[]>(chunk_cap_);
  boost::system::error_code ec;
  s_.socket.non_blocking(true, ec);
  wait_readable();
  if (!s_.negotiated.oack.empty()) {
    oack_ = encode(Oack{s_.negotiated.oack});
    oack_pending_ = true;
    send_oack();
  } else {
    pump();
  }
  deadline_ = Clock::now() + rto_;
  arm_timer();
}

void Transfer::wait_readable() {
  s_.socket.async_wait(asio::ip::udp::socket::wait_read,
                       [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

// Drains the socket: a recvmmsg that returns less than a full batch has emptied it, so the
// next datagram raises a new readiness event and the wait below sees it.
void Transfer::on_readable(const boost::system::error_code& ec) {
  if (done_ || ec == asio::error::operation_aborted) return;
  std::array<iovec, kReceiveBatch> iov;
  std::array<mmsghdr, kReceiveBatch> msgs{};
  for (;;) {
    for (std::size_t i = 0; i < kReceiveBatch; ++i) {
      iov[i] = {rx_[i].data(), rx_[i].size()};
      msgs[i].msg_hdr = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int n = ::recvmmsg(s_.socket.native_handle(), msgs.data(), kReceiveBatch, MSG_DONTWAIT, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ECONNREFUSED) return finish(false, "client went away (port unreachable)");
      if (errno != EAGAIN && errno != EWOULDBLOCK) INGOT_LOG(debug, "tftp") << s_.peer << ": receive: " << std::strerror(errno);
      break;
    }
    for (int i = 0; i < n && !done_; ++i) on_datagram(std::span<const std::uint8_t>(rx_[i].data(), msgs[i].msg_len));
    if (done_) return;
    if (static_cast<std::size_t>(n) < kReceiveBatch) break;
  }
  wait_readable();
}

void Transfer::on_datagram(std::span<const std::uint8_t> d) {
  if (int block = ack_block(d); block >= 0) {
    on_ack(static_cast<std::uint16_t>(block));
  } else if (auto p = decode(d); !p) {
    INGOT_LOG(warn, "tftp") << s_.peer << ": dropped malformed packet: " << p.error().message();
  } else if (auto* e = std::get_if<ErrorPacket>(&*p)) {
    finish(false, "client sent error " + std::to_string(static_cast<int>(e->code)) + " '" + e->message + "'");
  } else {
    INGOT_LOG(debug, "tftp") << s_.peer << ": ignored unexpected packet";
  }
}

void Transfer::on_ack(std::uint16_t block) {
  if (oack_pending_) {
    if (block != 0) return;
    oack_pending_ = false;
  } else {
    switch (window_.on_ack(block)) {
      case SendWindow::Ack::stale: return;
      case SendWindow::Ack::complete: return finish(true, {});
      case SendWindow::Ack::progress: break;
    }
  }
  const bool backed_off = retries_ != 0;
  retries_ = 0;
  rto_ = base_rto_;
  deadline_ = Clock::now() + rto_;
  if (backed_off) arm_timer();  // the pending wait may be a long backed-off one
  pump();
}

void Transfer::pump() {
  if (waiting_write_) return;
  while (!done_) {
    std::uint64_t block = window_.next_to_send();
    if (block == 0 || !queue_block(block)) break;
    window_.mark_sent();
  }
  if (!done_) flush();
}

bool Transfer::queue_block(std::uint64_t block) {
  const std::size_t blksize = s_.negotiated.use.blksize;
  const std::uint64_t offset = (block - 1) * blksize;
  const std::size_t len = static_cast<std::size_t>(std::min<std::uint64_t>(blksize, s_.file.size() - offset));
  const bool in_chunk = offset >= chunk_off_ && offset + len <= chunk_off_ + chunk_len_;
  // Queued blocks point into the chunk: send them before it is refilled.
  if ((!in_chunk || queued_ == msgs_.size()) && !flush()) return false;
  if (!in_chunk && !load(offset, len)) return false;
  auto& h = headers_[queued_];
  write_data_header(h, wire_block(block));
  iovs_[queued_] = {iovec{h.data(), h.size()}, iovec{chunk_.get() + (offset - chunk_off_), len}};
  msgs_[queued_].msg_hdr = {};
  msgs_[queued_].msg_hdr.msg_iov = iovs_[queued_].data();
  msgs_[queued_].msg_hdr.msg_iovlen = 2;
  queued_blocks_[queued_] = block;
  ++queued_;
  return true;
}

// Sends the queued blocks with one syscall. Returns false when the transfer cannot go on
// sending now (socket buffer full, or finished).
bool Transfer::flush() {
  std::size_t sent = 0;
  while (sent < queued_) {
    int n = ::sendmmsg(s_.socket.native_handle(), msgs_.data() + sent, static_cast<unsigned>(queued_ - sent), 0);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      window_.unsend_from(queued_blocks_[sent]);
      queued_ = 0;
      wait_writable();
      return false;
    }
    if (!send_failed(errno)) return false;
    ++sent;  // that block is lost like one lost on the wire
  }
  queued_ = 0;
  return true;
}

void Transfer::send_oack() {
  if (::send(s_.socket.native_handle(), oack_.data(), oack_.size(), MSG_DONTWAIT) < 0) send_failed(errno);
}

// Returns whether the transfer goes on. A local firewall drop gives EPERM, a full device queue
// ENOBUFS: a lost packet like one lost on the wire, which the timeout resends and the retry
// bound ends. Only a port-unreachable from the client ends the transfer at once.
bool Transfer::send_failed(int err) {
  if (err == ECONNREFUSED) {
    finish(false, "client went away (port unreachable)");
    return false;
  }
  INGOT_LOG(debug, "tftp") << s_.peer << ": send: " << std::strerror(err);
  return true;
}

void Transfer::wait_writable() {
  waiting_write_ = true;
  s_.socket.async_wait(asio::ip::udp::socket::wait_write, [self = shared_from_this()](const boost::system::error_code&) {
    self->waiting_write_ = false;
    if (!self->done_ && !self->oack_pending_) self->pump();
  });
}

// Makes [offset, offset+len) of the file present in the chunk buffer.
bool Transfer::load(std::uint64_t offset, std::size_t len) {
  if (offset >= chunk_off_ && offset + len <= chunk_off_ + chunk_len_) return true;
  std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_cap_, s_.file.size() - offset));
  std::size_t got = 0;
  while (got < want) {
    ssize_t r = ::pread(s_.file.fd(), chunk_.get() + got, want - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
  }
  chunk_off_ = offset;
  chunk_len_ = got;
  if (got >= len) return true;
  finish(false, "file shrank or became unreadable while being sent");
  return false;
}

void Transfer::arm_timer() {
  timer_.expires_at(deadline_);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) { self->on_timer(ec); });
}

// The deadline moves with every ACK without touching the timer; when the timer fires early
// it just sleeps again until the current deadline.
void Transfer::on_timer(const boost::system::error_code& ec) {
  if (done_ || ec == asio::error::operation_aborted) return;
  auto now = Clock::now();
  if (now < deadline_) return arm_timer();
  if (++retries_ > s_.max_retries) {
    const bool final_ack_lost = !oack_pending_ && window_.acked() + 1 == window_.last_block() &&
                                window_.next_to_send() == 0;
    return finish(false, final_ack_lost ? "no ACK for the last block" : "client stopped answering");
  }
  if (s_.negotiated.use.timeout_seconds == 0) rto_ = std::min(rto_ * 2, kMaxRto);
  deadline_ = now + rto_;
  retransmit();
  arm_timer();
}

void Transfer::retransmit() {
  ++retransmitted_;
  if (oack_pending_) return send_oack();
  window_.rewind();
  pump();
}

void Transfer::finish(bool ok, const std::string& why) {
  if (done_) return;
  done_ = true;
  boost::system::error_code ignored;
  s_.socket.close(ignored);
  timer_.cancel();
  const double secs = std::chrono::duration<double>(Clock::now() - started_).count();
  const auto& use = s_.negotiated.use;
  if (ok) {
    INGOT_LOG(info, "tftp") << s_.peer << " got '" << s_.filename << "' " << s_.file.size() << " bytes in " << secs
                            << " s (" << (secs > 0 ? s_.file.size() / secs / 1e6 : 0) << " MB/s, blksize "
                            << use.blksize << ", windowsize " << use.windowsize << ", " << retransmitted_
                            << " retransmissions)";
  } else {
    INGOT_LOG(warn, "tftp") << s_.peer << " '" << s_.filename << "' failed after " << secs << " s at block "
                            << window_.acked() << "/" << window_.last_block() << ": " << why;
  }
  if (s_.on_done) s_.on_done();
}

}  // namespace ingot::pxe::tftp
