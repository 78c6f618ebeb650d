// Option negotiation for a read request: RFC 2347 (the OACK rules), RFC 2348 blksize,
// RFC 2349 timeout and tsize, RFC 7440 windowsize. Pure: requested options + file size in,
// the values this transfer uses and the OACK to send out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pxe/tftp_packet.h"

namespace ingot::pxe::tftp {

// RFC 2349: timeout is 1..255 seconds.
constexpr unsigned kMinTimeoutSeconds = 1;
constexpr unsigned kMaxTimeoutSeconds = 255;
// RFC 7440 allows 1..65535, but a window larger than a client's socket buffer only gets
// dropped and resent; RFC 7440 §5's measurements flatten well before 64.
constexpr unsigned kMaxWindowsize = 64;
// Option values are decimal numbers; 19 digits cover every legal value (tsize is a file
// size) and cannot overflow a uint64.
constexpr std::size_t kMaxNumberDigits = 19;

struct TransferOptions {
  std::size_t blksize = kDefaultBlksize;
  unsigned windowsize = 1;
  unsigned timeout_seconds = 0;  // 0: the client asked for none, the server picks
  bool operator==(const TransferOptions&) const = default;
};

struct Negotiated {
  TransferOptions use;
  std::vector<Option> oack;  // empty: send no OACK, start with DATA 1 (RFC 2347 §3)
};

// Unknown options and options with invalid values are left out of the OACK, which RFC 2347
// §3 says means both sides behave as if they were never asked for. A blksize above the
// server's largest is answered with the largest (RFC 2348), likewise windowsize.
Negotiated negotiate(const std::vector<Option>& requested, std::uint64_t file_size);

}  // namespace ingot::pxe::tftp
