// TFTP packets as values: RFC 1350 §5 (RRQ, WRQ, DATA, ACK, ERROR) and RFC 2347 §2 (options
// on requests, OACK). Pure codec: bytes ⇄ values, no sockets, no clocks, no logging.
// The hot path (DATA out, ACK in) has allocation-free helpers next to the general encoders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"

namespace ingot::pxe::tftp {

enum class Opcode : std::uint16_t { rrq = 1, wrq = 2, data = 3, ack = 4, error = 5, oack = 6 };

// RFC 1350 §5 error codes, plus RFC 2347's 8 (option negotiation refused).
enum class ErrorCode : std::uint16_t {
  not_defined = 0,
  file_not_found = 1,
  access_violation = 2,
  disk_full = 3,
  illegal_operation = 4,
  unknown_tid = 5,
  file_exists = 6,
  no_such_user = 7,
  option_refused = 8,
};

// RFC 2347 §2: "the request packet must not exceed 512 octets". Real clients (iPXE, PXE ROMs,
// curl, atftp, tftp-hpa) stay far below it; anything longer is not a client we know.
constexpr std::size_t kMaxRequestSize = 512;
// RFC 2348: the largest block size, chosen so a block fits an IPv4 datagram (65535 - 20 - 8 - 4 - 31 slack).
constexpr std::size_t kMaxBlksize = 65464;
constexpr std::size_t kMinBlksize = 8;
constexpr std::size_t kDefaultBlksize = 512;  // RFC 1350
constexpr std::size_t kHeaderSize = 4;        // opcode + block number
constexpr std::size_t kMaxPacketSize = kMaxBlksize + kHeaderSize;
// Option pairs per request: the known ones are blksize, timeout, tsize, windowsize, multicast,
// rollover; 16 leaves room for vendor ones while bounding the work on a 512-byte packet.
constexpr std::size_t kMaxOptions = 16;
// ERROR/OACK text a peer can send us; error strings are a human sentence.
constexpr std::size_t kMaxStringSize = 512;

struct Option {
  std::string name;  // as sent; RFC 2347 §2 says names compare case-insensitively
  std::string value;
  bool operator==(const Option&) const = default;
};

struct Request {
  Opcode op = Opcode::rrq;  // rrq or wrq
  std::string filename;
  std::string mode;  // as sent: "octet", "netascii", "mail" (any case)
  std::vector<Option> options;
  bool operator==(const Request&) const = default;
};

struct Data {
  std::uint16_t block = 0;
  std::span<const std::uint8_t> payload;  // views the decoded buffer
};

struct Ack {
  std::uint16_t block = 0;
  bool operator==(const Ack&) const = default;
};

struct ErrorPacket {
  ErrorCode code = ErrorCode::not_defined;
  std::string message;
  bool operator==(const ErrorPacket&) const = default;
};

struct Oack {
  std::vector<Option> options;
  bool operator==(const Oack&) const = default;
};

using Packet = std::variant<Request, Data, Ack, ErrorPacket, Oack>;

// Decodes one datagram. Structure first (opcode, termination, sizes, duplicates), meaning
// (mode, option values) is the server's business.
Result<Packet> decode(std::span<const std::uint8_t> datagram);

std::vector<std::uint8_t> encode(const Request& r);
std::vector<std::uint8_t> encode(const Data& d);
std::vector<std::uint8_t> encode(const Ack& a);
std::vector<std::uint8_t> encode(const ErrorPacket& e);
std::vector<std::uint8_t> encode(const Oack& o);

// Hot path: writes a DATA header (4 bytes) for `block` into out, which must hold 4 bytes.
void write_data_header(std::span<std::uint8_t, kHeaderSize> out, std::uint16_t block);
// Hot path: the block number if the datagram is exactly an ACK, else -1.
int ack_block(std::span<const std::uint8_t> datagram);

bool iequals(std::string_view a, std::string_view b);

}  // namespace ingot::pxe::tftp
