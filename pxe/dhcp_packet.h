// A DHCPv4 message (RFC 2131 §2, options per RFC 2132): decoded from untrusted bytes and
// encoded for the wire. Handles option overload (option 52: options carried in the file and
// sname fields) and concatenation of split options (RFC 3396) in both directions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "pxe/dhcp_ipv4.h"
#include "pxe/dhcp_options.h"
#include "pxe/mac_address.h"

namespace ingot::pxe {

enum class DhcpMessageType : std::uint8_t {
  discover = 1, offer, request, decline, ack, nak, release, inform,
};
const char* to_string(DhcpMessageType t);

// The fixed BOOTP header up to and including the magic cookie (RFC 2131 §2, §3).
inline constexpr std::size_t kDhcpHeaderSize = 240;
inline constexpr std::size_t kSnameSize = 64;
inline constexpr std::size_t kFileSize = 128;
// Largest datagram we accept: a jumbo frame's payload. Real clients send 300-600 bytes; this is
// only a bound on work per packet.
inline constexpr std::size_t kMaxPacketSize = 8972;
// RFC 2131 §2: every client accepts 576-byte messages; we never send more unless the client's
// option 57 says it can take it, and then at most an Ethernet MTU's UDP payload.
inline constexpr std::size_t kDefaultMaxReply = 576;
inline constexpr std::size_t kMaxReplySize = 1472;
// Replies are padded to the BOOTP size (RFC 1542 §3.3): some PXE ROMs drop shorter ones.
inline constexpr std::size_t kMinReplySize = 300;

inline constexpr std::uint8_t kBootRequest = 1;
inline constexpr std::uint8_t kBootReply = 2;
inline constexpr std::uint16_t kBroadcastFlag = 0x8000;

struct DhcpPacket {
  std::uint8_t op = kBootRequest;
  std::uint8_t htype = 1;  // Ethernet
  std::uint8_t hlen = 6;
  std::uint8_t hops = 0;
  std::uint32_t xid = 0;
  std::uint16_t secs = 0;
  std::uint16_t flags = 0;
  Ipv4 ciaddr = 0, yiaddr = 0, siaddr = 0, giaddr = 0;
  std::array<std::uint8_t, 16> chaddr{};
  std::string sname;  // server host name, when not overloaded with options
  std::string file;   // boot file name, when not overloaded with options
  DhcpOptions options;

  std::optional<DhcpMessageType> message_type() const;
  bool broadcast() const { return flags & kBroadcastFlag; }
  MacAddress mac() const;
  void set_mac(const MacAddress& m);
  bool operator==(const DhcpPacket&) const = default;
};

// Structure first (sizes, cookie, option framing and limits); meaning is left to the caller,
// except that a DHCP message must carry a valid option 53.
Result<DhcpPacket> decode_dhcp(std::span<const std::uint8_t> bytes);

// Encodes to at most max_size bytes (clamped to [kDefaultMaxReply, kMaxReplySize]). When the
// options do not fit in the options field, spills them into file, then sname (option 52) if
// those are unused; fails with DhcpError::too_large when even that is not enough.
Result<std::vector<std::uint8_t>> encode_dhcp(const DhcpPacket& packet, std::size_t max_size = kDefaultMaxReply);

}  // namespace ingot::pxe
