// The sending side of a read transfer: which block goes out next and what an ACK means.
// RFC 1350 lock-step is windowsize 1; RFC 7440 §4 windows: the receiver ACKs the last block
// it got in order, the sender continues (or rewinds) from the block after it.
// Block numbers are 64-bit here and wrap to 0 on the wire past 65535, as tftpd-hpa, curl and
// atftp do, so files over 32 MiB at 512-byte blocks still transfer.
#pragma once

#include <cstdint>

namespace ingot::pxe::tftp {

class SendWindow {
 public:
  // file_size and blksize give the last block: the one shorter than blksize, possibly empty.
  SendWindow(std::uint64_t file_size, std::uint64_t blksize, unsigned windowsize);

  enum class Ack {
    stale,     // duplicate or out of range: ignored, so duplicates never double traffic
               // (the Sorcerer's Apprentice bug of RFC 1350); only a timeout retransmits
    progress,  // moved the window; blocks may be ready to send
    complete,  // the last block is acknowledged
  };
  Ack on_ack(std::uint16_t wire_block);
  // Retransmission: resend from the first unacknowledged block.
  void rewind() { next_ = acked_ + 1; }
  // Blocks from `block` on were never handed to the network (socket buffer full): send them next.
  void unsend_from(std::uint64_t block) {
    if (block > acked_ && block < next_) next_ = block;
  }

  // The next block to send, or 0 when the window is full or every block is out.
  std::uint64_t next_to_send() const;
  void mark_sent() { ++next_; }

  std::uint64_t last_block() const { return last_; }
  std::uint64_t acked() const { return acked_; }

 private:
  std::uint64_t last_;
  unsigned window_;
  std::uint64_t acked_ = 0;  // block 0 is the OACK (or nothing) before DATA 1
  std::uint64_t next_ = 1;
};

inline std::uint16_t wire_block(std::uint64_t block) { return static_cast<std::uint16_t>(block & 0xffff); }

}  // namespace ingot::pxe::tftp
