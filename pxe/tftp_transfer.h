// One read transfer on its own socket (RFC 1350 §4: a new TID per transfer), connected to the
// client so the kernel filters other sources. Callback-driven: a readiness wait drained with
// recvmmsg, a window sent with one sendmmsg, and one lazy deadline timer, so a lock-step
// block costs one recv and one send syscall, with no timer re-arm, no cancellation and no
// allocation per block. Timeouts back off up to a bounded retry count.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <sys/socket.h>
#include <sys/uio.h>

#include "common/asio.h"
#include "pxe/tftp_options.h"
#include "pxe/tftp_root.h"
#include "pxe/tftp_window.h"

namespace ingot::pxe::tftp {

// Without a timeout option, retransmit after 250 ms: a boot LAN answers within a millisecond,
// and a lost block at a fixed 1 s (tftpd-hpa's default) makes lossy links crawl.
constexpr std::chrono::milliseconds kDefaultRto{250};
// Backoff doubles up to this, so a stalled peer is retried for ~12 s in total.
constexpr std::chrono::milliseconds kMaxRto{4000};
// Consecutive timeouts before the transfer is abandoned (RFC 1350 leaves the count open).
constexpr unsigned kMaxRetries = 6;
// File bytes read per pread: 44 blocks of 1468, one syscall per window of most clients, while
// hundreds of concurrent transfers stay within a few tens of MB.
constexpr std::size_t kChunkBytes = 64 * 1024;
// Largest datagram a client may send on a transfer socket: an ERROR with a full message.
constexpr std::size_t kMaxReplySize = 4 + kMaxStringSize + 1;
// Datagrams taken per recvmmsg: a window's worth of ACKs from a confused client at most.
constexpr std::size_t kReceiveBatch = 8;

struct TransferSetup {
  asio::ip::udp::socket socket;  // bound to an ephemeral port and connected to the client
  File file;
  Negotiated negotiated;
  std::string filename;
  asio::ip::udp::endpoint peer;
  std::chrono::milliseconds rto = kDefaultRto;  // used when the client gave no timeout option
  unsigned max_retries = kMaxRetries;
  std::function<void()> on_done;  // called once, when the transfer ends for any reason
};

class Transfer : public std::enable_shared_from_this<Transfer> {
 public:
  static void start(TransferSetup setup);
  explicit Transfer(TransferSetup setup);

 private:
  using Clock = std::chrono::steady_clock;

  void begin();
  void wait_readable();
  void on_readable(const boost::system::error_code& ec);
  void on_datagram(std::span<const std::uint8_t> d);
  void on_ack(std::uint16_t block);
  void pump();
  bool queue_block(std::uint64_t block);
  bool flush();
  void send_oack();
  bool send_failed(int err);
  void wait_writable();
  bool load(std::uint64_t offset, std::size_t len);
  void arm_timer();
  void on_timer(const boost::system::error_code& ec);
  void retransmit();
  void finish(bool ok, const std::string& why);

  TransferSetup s_;
  SendWindow window_;
  asio::steady_timer timer_;
  std::chrono::milliseconds base_rto_;
  std::chrono::milliseconds rto_;
  Clock::time_point deadline_;
  Clock::time_point started_;
  unsigned retries_ = 0;
  std::uint64_t retransmitted_ = 0;
  bool oack_pending_ = false;
  bool waiting_write_ = false;
  bool done_ = false;
  std::vector<std::uint8_t> oack_;
  std::unique_ptr<std::uint8_t[]> chunk_;
  std::size_t chunk_cap_ = 0;
  std::uint64_t chunk_off_ = 0;
  std::size_t chunk_len_ = 0;
  // The send batch: one header and one mmsghdr per block of a window.
  std::array<std::array<std::uint8_t, kHeaderSize>, kMaxWindowsize> headers_{};
  std::array<std::array<iovec, 2>, kMaxWindowsize> iovs_{};
  std::array<mmsghdr, kMaxWindowsize> msgs_{};
  std::array<std::uint64_t, kMaxWindowsize> queued_blocks_{};
  std::size_t queued_ = 0;
  std::array<std::array<std::uint8_t, kMaxReplySize>, kReceiveBatch> rx_{};
};

}  // namespace ingot::pxe::tftp
