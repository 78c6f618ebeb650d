#include "pxe/dhcp_packet.h"

#include <algorithm>

#include "common/byte_reader.h"
#include "common/byte_writer.h"
#include "pxe/dhcp_error.h"

namespace ingot::pxe {
namespace {

constexpr std::uint32_t kMagicCookie = 0x63825363;
constexpr std::uint8_t kOverloadFile = 1;
constexpr std::uint8_t kOverloadSname = 2;

// A fixed-size string field: up to the first NUL, or all of it when a client filled it.
std::string fixed_string(std::span<const std::uint8_t> field) {
  auto nul = std::find(field.begin(), field.end(), 0);
  return std::string(field.begin(), nul);
}

void write_fixed_string(ByteWriter& w, const std::string& s, std::size_t size) {
  w.str(s);
  w.zeros(size - s.size());
}

// Packs whole option instances into an area of `capacity` bytes; returns what was placed.
std::vector<std::uint8_t> fill_area(std::vector<std::vector<std::uint8_t>>& pending, std::size_t capacity) {
  std::vector<std::uint8_t> area;
  while (!pending.empty() && area.size() + pending.front().size() <= capacity) {
    area.insert(area.end(), pending.front().begin(), pending.front().end());
    pending.erase(pending.begin());
  }
  return area;
}

}  // namespace

const char* to_string(DhcpMessageType t) {
  switch (t) {
    case DhcpMessageType::discover: return "DISCOVER";
    case DhcpMessageType::offer: return "OFFER";
    case DhcpMessageType::request: return "REQUEST";
    case DhcpMessageType::decline: return "DECLINE";
    case DhcpMessageType::ack: return "ACK";
    case DhcpMessageType::nak: return "NAK";
    case DhcpMessageType::release: return "RELEASE";
    case DhcpMessageType::inform: return "INFORM";
  }
  return "?";
}

std::optional<DhcpMessageType> DhcpPacket::message_type() const {
  auto t = options.u8(opt::message_type);
  if (!t || *t < 1 || *t > 8) return std::nullopt;
  return static_cast<DhcpMessageType>(*t);
}

MacAddress DhcpPacket::mac() const {
  MacAddress m;
  std::copy_n(chaddr.begin(), 6, m.bytes.begin());
  return m;
}

void DhcpPacket::set_mac(const MacAddress& m) {
  chaddr.fill(0);
  std::copy(m.bytes.begin(), m.bytes.end(), chaddr.begin());
  htype = 1;
  hlen = 6;
}

Result<DhcpPacket> decode_dhcp(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kDhcpHeaderSize) return fail(DhcpError::truncated, std::to_string(bytes.size()) + " bytes");
  if (bytes.size() > kMaxPacketSize) return fail(DhcpError::too_large, std::to_string(bytes.size()) + " bytes");
  ByteReader r(bytes);
  DhcpPacket p;
  p.op = r.u8();
  p.htype = r.u8();
  p.hlen = r.u8();
  p.hops = r.u8();
  p.xid = r.u32be();
  p.secs = r.u16be();
  p.flags = r.u16be();
  p.ciaddr = r.u32be();
  p.yiaddr = r.u32be();
  p.siaddr = r.u32be();
  p.giaddr = r.u32be();
  auto chaddr = r.bytes(16);
  auto sname = r.bytes(kSnameSize);
  auto file = r.bytes(kFileSize);
  std::uint32_t cookie = r.u32be();
  if (!r.ok()) return fail(DhcpError::truncated);
  if (p.op != kBootRequest && p.op != kBootReply) return fail(DhcpError::bad_op, "op " + std::to_string(p.op));
  if (p.hlen > 16) return fail(DhcpError::bad_hardware, "hlen " + std::to_string(p.hlen));
  if (cookie != kMagicCookie) return fail(DhcpError::bad_magic);
  std::copy(chaddr.begin(), chaddr.end(), p.chaddr.begin());

  std::size_t instances = 0;
  bool saw_end = false;
  if (auto res = decode_option_area(bytes.subspan(kDhcpHeaderSize), p.options, instances, saw_end); !res)
    return fail(res.error());
  // Overload is read from the options field only, before the overloaded areas are parsed.
  std::uint8_t overload = 0;
  if (p.options.has(opt::overload)) {
    auto v = p.options.u8(opt::overload);
    if (!v || *v < 1 || *v > 3) return fail(DhcpError::bad_overload);
    overload = *v;
    p.options.erase(opt::overload);
  }
  if (overload & kOverloadFile) {
    if (auto res = decode_option_area(file, p.options, instances, saw_end); !res) return fail(res.error());
  } else {
    p.file = fixed_string(file);
  }
  if (overload & kOverloadSname) {
    if (auto res = decode_option_area(sname, p.options, instances, saw_end); !res) return fail(res.error());
  } else {
    p.sname = fixed_string(sname);
  }
  // A missing end option is tolerated: several PXE ROMs pad with zeros instead.
  if (!p.message_type()) return fail(DhcpError::bad_message_type);
  return p;
}

Result<std::vector<std::uint8_t>> encode_dhcp(const DhcpPacket& p, std::size_t max_size) {
  max_size = std::clamp(max_size, kDefaultMaxReply, kMaxReplySize);
  // A field filled to the brim decodes fine (no NUL needed), so the full size is allowed.
  if (p.file.size() > kFileSize) return fail(DhcpError::too_large, "file name longer than 128 bytes");
  if (p.sname.size() > kSnameSize) return fail(DhcpError::too_large, "server name longer than 64 bytes");
  auto pending = encode_option_instances(p.options);
  // Room for the options field: everything after the header, less the end option.
  std::size_t room = max_size - kDhcpHeaderSize - 1;
  std::size_t total = 0;
  for (auto& i : pending) total += i.size();

  std::vector<std::uint8_t> main_area, file_area, sname_area;
  std::uint8_t overload = 0;
  if (total <= room) {
    main_area = fill_area(pending, room);
  } else {
    main_area = fill_area(pending, room - 3);  // keep room for option 52 itself
    if (p.file.empty()) {
      file_area = fill_area(pending, kFileSize - 1);
      if (!file_area.empty()) overload |= kOverloadFile;
    }
    if (!pending.empty() && p.sname.empty()) {
      sname_area = fill_area(pending, kSnameSize - 1);
      if (!sname_area.empty()) overload |= kOverloadSname;
    }
    if (!pending.empty())
      return fail(DhcpError::too_large, "options need more than " + std::to_string(max_size) + " bytes");
  }

  ByteWriter w;
  w.u8(p.op);
  w.u8(p.htype);
  w.u8(p.hlen);
  w.u8(p.hops);
  w.u32be(p.xid);
  w.u16be(p.secs);
  w.u16be(p.flags);
  for (Ipv4 a : {p.ciaddr, p.yiaddr, p.siaddr, p.giaddr}) w.u32be(a);
  w.bytes(p.chaddr);
  auto write_area = [&w](std::vector<std::uint8_t>& area, std::size_t size) {
    area.push_back(opt::end);
    w.bytes(area);
    w.zeros(size - area.size());
  };
  if (overload & kOverloadSname) write_area(sname_area, kSnameSize);
  else write_fixed_string(w, p.sname, kSnameSize);
  if (overload & kOverloadFile) write_area(file_area, kFileSize);
  else write_fixed_string(w, p.file, kFileSize);
  w.u32be(kMagicCookie);
  if (overload) {
    w.u8(opt::overload);
    w.u8(1);
    w.u8(overload);
  }
  w.bytes(main_area);
  w.u8(opt::end);
  if (w.size() < kMinReplySize) w.zeros(kMinReplySize - w.size());
  return w.take();
}

}  // namespace ingot::pxe
