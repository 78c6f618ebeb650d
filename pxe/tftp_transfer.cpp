#include "pxe/tftp_transfer.h"

#include <algorithm>
#include <cerrno>
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
  receive();
  if (!s_.negotiated.oack.empty()) {
    oack_ = encode(Oack{s_.negotiated.oack});
    oack_pending_ = true;
    send(asio::buffer(oack_));
  } else {
    pump();
  }
  deadline_ = Clock::now() + rto_;
  arm_timer();
}

void Transfer::receive() {
  s_.socket.async_receive(asio::buffer(rx_), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                          std::size_t n) { self->on_receive(ec, n); });
}

void Transfer::on_receive(const boost::system::error_code& ec, std::size_t n) {
  if (done_) return;
  if (ec == asio::error::connection_refused) return finish(false, "client went away (port unreachable)");
  if (ec) {
    INGOT_LOG(debug, "tftp") << s_.peer << ": receive: " << ec.message();
    return receive();
  }
  std::span<const std::uint8_t> d(rx_.data(), n);
  if (int block = ack_block(d); block >= 0) {
    on_ack(static_cast<std::uint16_t>(block));
  } else if (auto p = decode(d); !p) {
    INGOT_LOG(warn, "tftp") << s_.peer << ": dropped malformed packet: " << p.error().message();
  } else if (auto* e = std::get_if<ErrorPacket>(&*p)) {
    return finish(false, "client sent error " + std::to_string(static_cast<int>(e->code)) + " '" + e->message + "'");
  } else {
    INGOT_LOG(debug, "tftp") << s_.peer << ": ignored unexpected packet";
  }
  if (!done_) receive();
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
  while (!done_) {
    std::uint64_t block = window_.next_to_send();
    if (block == 0 || !send_block(block)) return;
    window_.mark_sent();
  }
}

bool Transfer::send_block(std::uint64_t block) {
  const std::size_t blksize = s_.negotiated.use.blksize;
  const std::uint64_t offset = (block - 1) * blksize;
  const std::size_t len = static_cast<std::size_t>(std::min<std::uint64_t>(blksize, s_.file.size() - offset));
  if (!load(offset, len)) return false;
  write_data_header(header_, wire_block(block));
  std::array<asio::const_buffer, 2> bufs{asio::buffer(header_), asio::buffer(chunk_.get() + (offset - chunk_off_), len)};
  return send(bufs);
}

template <typename Buffers>
bool Transfer::send(const Buffers& bufs) {
  boost::system::error_code ec;
  s_.socket.send(bufs, 0, ec);
  if (!ec) return true;
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    // Socket buffer full: resume when it drains rather than spin.
    if (!waiting_write_) {
      waiting_write_ = true;
      s_.socket.async_wait(asio::ip::udp::socket::wait_write, [self = shared_from_this()](const boost::system::error_code&) {
        self->waiting_write_ = false;
        if (!self->done_ && !self->oack_pending_) self->pump();
      });
    }
    return false;
  }
  if (ec == asio::error::connection_refused) {
    finish(false, "client went away (port unreachable)");
    return false;
  }
  // Anything else (a local firewall drop gives EPERM, a full device queue ENOBUFS) is a lost
  // packet like one lost on the wire: the timeout resends it and the retry bound ends it.
  INGOT_LOG(debug, "tftp") << s_.peer << ": send: " << ec.message();
  return true;
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
  if (oack_pending_) {
    send(asio::buffer(oack_));
    return;
  }
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
