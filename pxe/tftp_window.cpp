#include "pxe/tftp_window.h"

namespace ingot::pxe::tftp {

SendWindow::SendWindow(std::uint64_t file_size, std::uint64_t blksize, unsigned windowsize)
    : last_(file_size / blksize + 1), window_(windowsize == 0 ? 1 : windowsize) {}

SendWindow::Ack SendWindow::on_ack(std::uint16_t w) {
  // Distance from the last acknowledged block, modulo the 16-bit wire space. A window is
  // at most a few dozen blocks, so the mapping back to a 64-bit block is unambiguous.
  std::uint64_t delta = static_cast<std::uint16_t>(w - wire_block(acked_));
  std::uint64_t block = acked_ + delta;
  if (delta == 0 || block >= next_) return Ack::stale;
  acked_ = block;
  if (acked_ == last_) return Ack::complete;
  // A partial ACK means the receiver lost the block after it: rewind (RFC 7440 §4).
  next_ = acked_ + 1;
  return Ack::progress;
}

std::uint64_t SendWindow::next_to_send() const {
  if (next_ > last_ || next_ > acked_ + window_) return 0;
  return next_;
}

}  // namespace ingot::pxe::tftp
