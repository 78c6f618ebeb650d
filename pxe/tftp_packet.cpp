#include "pxe/tftp_packet.h"

#include "common/byte_reader.h"
#include "common/byte_writer.h"
#include "pxe/tftp_error.h"

namespace ingot::pxe::tftp {
namespace {

// Reads name/value pairs until the end of the packet (RFC 2347 §2 request and OACK layout).
Result<std::vector<Option>> read_options(ByteReader& r) {
  std::vector<Option> opts;
  while (!r.at_end()) {
    if (opts.size() == kMaxOptions) return fail(Errc::too_many_options);
    auto name = r.cstring(kMaxStringSize);
    auto value = r.cstring(kMaxStringSize);
    if (!r.ok()) return fail(Errc::bad_string, "unterminated option");
    if (name.empty()) return fail(Errc::bad_string, "empty option name");
    for (const auto& o : opts)
      if (iequals(o.name, name)) return fail(Errc::duplicate_option, "option '" + std::string(name) + "' given twice");
    opts.push_back(Option{std::string(name), std::string(value)});
  }
  return opts;
}

Result<Packet> decode_request(Opcode op, ByteReader& r, std::size_t total) {
  if (total > kMaxRequestSize) return fail(Errc::request_too_long);
  Request req;
  req.op = op;
  auto filename = r.cstring(kMaxRequestSize);
  auto mode = r.cstring(kMaxRequestSize);
  if (!r.ok()) return fail(Errc::bad_string, "unterminated filename or mode");
  if (filename.empty()) return fail(Errc::bad_string, "empty filename");
  if (mode.empty()) return fail(Errc::bad_string, "empty mode");
  req.filename = filename;
  req.mode = mode;
  auto opts = read_options(r);
  if (!opts) return fail(opts.error());
  req.options = std::move(*opts);
  return Packet{std::move(req)};
}

std::vector<std::uint8_t> finish_with_options(const std::vector<Option>& opts, ByteWriter& w) {
  for (const auto& o : opts) {
    w.cstring(o.name);
    w.cstring(o.value);
  }
  return w.take();
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

Result<Packet> decode(std::span<const std::uint8_t> datagram) {
  ByteReader r(datagram);
  auto op = r.u16be();
  if (!r.ok()) return fail(Errc::truncated, "shorter than an opcode");
  switch (static_cast<Opcode>(op)) {
    case Opcode::rrq:
    case Opcode::wrq:
      return decode_request(static_cast<Opcode>(op), r, datagram.size());
    case Opcode::data: {
      auto block = r.u16be();
      if (!r.ok()) return fail(Errc::truncated, "DATA without a block number");
      if (r.remaining() > kMaxBlksize) return fail(Errc::payload_too_long);
      return Packet{Data{block, r.bytes(r.remaining())}};
    }
    case Opcode::ack: {
      auto block = r.u16be();
      if (!r.ok()) return fail(Errc::truncated, "ACK without a block number");
      if (!r.at_end()) return fail(Errc::trailing_bytes, "ACK longer than 4 bytes");
      return Packet{Ack{block}};
    }
    case Opcode::error: {
      auto code = r.u16be();
      // Some stacks omit the terminating NUL of an empty message; accept a bare code.
      std::string_view msg = r.at_end() ? std::string_view{} : r.cstring(kMaxStringSize);
      if (!r.ok()) return fail(Errc::bad_string, "unterminated error message");
      return Packet{ErrorPacket{static_cast<ErrorCode>(code), std::string(msg)}};
    }
    case Opcode::oack: {
      auto opts = read_options(r);
      if (!opts) return fail(opts.error());
      return Packet{Oack{std::move(*opts)}};
    }
  }
  return fail(Errc::bad_opcode, "opcode " + std::to_string(op));
}

std::vector<std::uint8_t> encode(const Request& q) {
  ByteWriter w;
  w.u16be(static_cast<std::uint16_t>(q.op));
  w.cstring(q.filename);
  w.cstring(q.mode);
  return finish_with_options(q.options, w);
}

std::vector<std::uint8_t> encode(const Data& d) {
  ByteWriter w;
  w.u16be(static_cast<std::uint16_t>(Opcode::data));
  w.u16be(d.block);
  w.bytes(d.payload);
  return w.take();
}

std::vector<std::uint8_t> encode(const Ack& a) {
  ByteWriter w;
  w.u16be(static_cast<std::uint16_t>(Opcode::ack));
  w.u16be(a.block);
  return w.take();
}

std::vector<std::uint8_t> encode(const ErrorPacket& e) {
  ByteWriter w;
  w.u16be(static_cast<std::uint16_t>(Opcode::error));
  w.u16be(static_cast<std::uint16_t>(e.code));
  w.cstring(e.message);
  return w.take();
}

std::vector<std::uint8_t> encode(const Oack& o) {
  ByteWriter w;
  w.u16be(static_cast<std::uint16_t>(Opcode::oack));
  return finish_with_options(o.options, w);
}

void write_data_header(std::span<std::uint8_t, kHeaderSize> out, std::uint16_t block) {
  out[0] = 0;
  out[1] = static_cast<std::uint8_t>(Opcode::data);
  out[2] = static_cast<std::uint8_t>(block >> 8);
  out[3] = static_cast<std::uint8_t>(block);
}

int ack_block(std::span<const std::uint8_t> d) {
  if (d.size() != kHeaderSize || d[0] != 0 || d[1] != static_cast<std::uint8_t>(Opcode::ack)) return -1;
  return d[2] << 8 | d[3];
}

}  // namespace ingot::pxe::tftp
