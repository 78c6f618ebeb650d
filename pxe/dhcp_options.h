// DHCP options (RFC 2132) as a code → value map, and their TLV wire form. Repeated instances of
// one code are concatenated on decode and long values split on encode (RFC 3396); the same TLV
// format carries the encapsulated PXE (43, PXE spec 2.1 §2.2) and iPXE (175) sub-options.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/byte_writer.h"
#include "common/result.h"
#include "pxe/dhcp_ipv4.h"

namespace ingot::pxe {

namespace opt {
enum Code : std::uint8_t {
  pad = 0,
  subnet_mask = 1,
  router = 3,
  dns_servers = 6,
  hostname = 12,
  domain_name = 15,
  vendor_specific = 43,  // PXE: encapsulated sub-options below
  requested_ip = 50,
  lease_time = 51,
  overload = 52,  // 1: file holds options, 2: sname does, 3: both
  message_type = 53,
  server_id = 54,
  parameter_list = 55,
  message = 56,
  max_message_size = 57,
  renewal_time = 58,
  rebinding_time = 59,
  vendor_class = 60,  // "PXEClient:Arch:xxxxx:UNDI:yyyzzz", "HTTPClient...", "udhcp 1.35.0"
  client_id = 61,
  tftp_server = 66,
  bootfile = 67,
  user_class = 77,   // RFC 3004; iPXE sends the bare string "iPXE"
  client_arch = 93,  // RFC 4578 §2.1
  client_ndi = 94,   // RFC 4578 §2.2: UNDI type, major, minor
  client_uuid = 97,  // RFC 4578 §2.3: type 0 + 16-byte GUID; some firmware omits it
  ipxe_encap = 175,  // iPXE's encapsulated options
  end = 255,
};
}  // namespace opt

// PXE spec 2.1 sub-options of option 43.
namespace pxe_sub {
enum Code : std::uint8_t {
  discovery_control = 6,  // bit 3 (8): boot from the file name, skip boot server discovery
  boot_servers = 8,
  boot_menu = 9,
  menu_prompt = 10,
  boot_item = 71,
};
}  // namespace pxe_sub

// iPXE sub-options of option 175.
namespace ipxe_sub {
enum Code : std::uint8_t {
  no_pxedhcp = 176,  // 1: don't wait for ProxyDHCP offers (saves iPXE's 3 s wait)
};
}  // namespace ipxe_sub

// Concatenated values longer than this are refused: nothing we read needs more (43 and 175 are
// the biggest, a few hundred bytes), and it bounds memory per packet.
inline constexpr std::size_t kMaxOptionValue = 1024;
// Option instances per packet (all areas): real clients send under 30; a 1500-byte packet of
// zero-length options would hold ~600, which is an attack, not a client.
inline constexpr std::size_t kMaxOptionInstances = 255;
// One TLV instance carries at most 255 bytes (one length byte).
inline constexpr std::size_t kMaxInstanceValue = 255;

class DhcpOptions {
 public:
  using Entry = std::pair<std::uint8_t, std::vector<std::uint8_t>>;

  bool has(std::uint8_t code) const { return find(code) != nullptr; }
  const std::vector<std::uint8_t>* find(std::uint8_t code) const;
  std::optional<std::uint8_t> u8(std::uint8_t code) const;
  std::optional<std::uint16_t> u16(std::uint8_t code) const;
  std::optional<std::uint32_t> u32(std::uint8_t code) const;
  std::optional<Ipv4> ip(std::uint8_t code) const { return u32(code); }
  // The value as text, trailing NULs dropped (some clients NUL-terminate strings).
  std::optional<std::string> text(std::uint8_t code) const;

  // Replaces the value (keeps the first position, so encode order is insertion order).
  void set(std::uint8_t code, std::span<const std::uint8_t> value);
  void set(std::uint8_t code, std::string_view value);
  void set_u8(std::uint8_t code, std::uint8_t v);
  void set_u16(std::uint8_t code, std::uint16_t v);
  void set_u32(std::uint8_t code, std::uint32_t v);
  void set_ip(std::uint8_t code, Ipv4 v) { set_u32(code, v); }
  void set_ips(std::uint8_t code, const std::vector<Ipv4>& v);
  // RFC 3396: a repeated option continues the previous value.
  void append(std::uint8_t code, std::span<const std::uint8_t> value);
  void erase(std::uint8_t code);

  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }
  bool operator==(const DhcpOptions&) const = default;

 private:
  std::vector<Entry> entries_;
};

// Decodes one option area into out, appending to values already there (RFC 3396 orders the
// areas: options field, then file, then sname). instances counts across areas. Sets saw_end
// when the area had an end option.
Result<void> decode_option_area(std::span<const std::uint8_t> area, DhcpOptions& out, std::size_t& instances,
                                bool& saw_end);

// The encoded instances of every option, each at most 2 + 255 bytes; values longer than 255
// bytes are split into consecutive instances (RFC 3396). No end option.
std::vector<std::vector<std::uint8_t>> encode_option_instances(const DhcpOptions& options);

// Encapsulated sub-options (43, 175): the same TLV format in one area, end optional.
Result<DhcpOptions> decode_sub_options(std::span<const std::uint8_t> value);
std::vector<std::uint8_t> encode_sub_options(const DhcpOptions& options);

}  // namespace ingot::pxe
