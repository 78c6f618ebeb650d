// TFTP codec: round trips for every packet type, and each kind of malformed packet refused
// with its own error code.
#include <ostream>  // doctest prints std::error_code through it

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "pxe/tftp_error.h"
#include "pxe/tftp_packet.h"

using namespace ingot::pxe::tftp;

namespace {

std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }
// A packet written as a string literal, embedded NULs included (the literal's own NUL excluded).
template <std::size_t N>
std::vector<std::uint8_t> lit(const char (&s)[N]) {
  return {s, s + N - 1};
}

std::error_code decode_error(const std::vector<std::uint8_t>& b) {
  auto p = decode(b);
  REQUIRE_FALSE(p.has_value());
  return p.error().code;
}

}  // namespace

TEST_CASE("RRQ with options decodes and round-trips") {
  auto b = lit("\0\1pxelinux.0\0octet\0blksize\0" "1468\0tsize\0" "0\0");
  auto p = decode(b);
  REQUIRE(p);
  auto& r = std::get<Request>(*p);
  CHECK(r.op == Opcode::rrq);
  CHECK(r.filename == "pxelinux.0");
  CHECK(r.mode == "octet");
  REQUIRE(r.options.size() == 2);
  CHECK(r.options[0] == Option{"blksize", "1468"});
  CHECK(r.options[1] == Option{"tsize", "0"});
  CHECK(encode(r) == b);
}

TEST_CASE("every packet type round-trips") {
  Request w{Opcode::wrq, "up.bin", "netascii", {}};
  CHECK(std::get<Request>(*decode(encode(w))) == w);
  CHECK(std::get<Ack>(*decode(encode(Ack{65535}))) == Ack{65535});
  ErrorPacket e{ErrorCode::file_not_found, "nope"};
  CHECK(std::get<ErrorPacket>(*decode(encode(e))) == e);
  Oack o{{{"blksize", "1468"}, {"windowsize", "16"}}};
  CHECK(std::get<Oack>(*decode(encode(o))) == o);
  std::vector<std::uint8_t> payload{1, 2, 3};
  auto wire = encode(Data{7, payload});
  auto d = std::get<Data>(*decode(wire));
  CHECK(d.block == 7);
  CHECK(std::vector<std::uint8_t>(d.payload.begin(), d.payload.end()) == payload);
}

TEST_CASE("hot-path helpers agree with the general codec") {
  std::array<std::uint8_t, kHeaderSize> h{};
  write_data_header(h, 0x1234);
  CHECK(std::vector<std::uint8_t>(h.begin(), h.end()) == encode(Data{0x1234, {}}));
  CHECK(ack_block(encode(Ack{513})) == 513);
  CHECK(ack_block(lit("\0\4\0\1\0")) == -1);  // trailing byte
  CHECK(ack_block(encode(Data{1, {}})) == -1);
}

TEST_CASE("empty DATA (last block of an exact multiple) and bare ERROR code are accepted") {
  CHECK(std::get<Data>(*decode(lit("\0\3\0\5"))).payload.empty());
  auto e = std::get<ErrorPacket>(*decode(lit("\0\5\0\1")));
  CHECK(e.code == ErrorCode::file_not_found);
  CHECK(e.message.empty());
}

TEST_CASE("malformed packets get specific errors") {
  CHECK(decode_error({}) == Errc::truncated);
  CHECK(decode_error({0}) == Errc::truncated);
  CHECK(decode_error({0, 9}) == Errc::bad_opcode);
  CHECK(decode_error({0, 0}) == Errc::bad_opcode);
  CHECK(decode_error(lit("\0\1file")) == Errc::bad_string);          // no NUL
  CHECK(decode_error(lit("\0\1file\0octet")) == Errc::bad_string);  // mode unterminated
  CHECK(decode_error(lit("\0\1\0octet\0")) == Errc::bad_string);     // empty filename
  CHECK(decode_error(lit("\0\1f\0\0")) == Errc::bad_string);         // empty mode
  CHECK(decode_error(lit("\0\1f\0octet\0blksize\0")) == Errc::bad_string);  // option w/o value
  CHECK(decode_error(lit("\0\1f\0octet\0\0" "1\0")) == Errc::bad_string);  // empty option name
  CHECK(decode_error(lit("\0\1f\0octet\0blksize\0" "8\0BLKSIZE\0" "9\0")) == Errc::duplicate_option);
  CHECK(decode_error(lit("\0\4\0\1\0")) == Errc::trailing_bytes);
  CHECK(decode_error(lit("\0\4\0")) == Errc::truncated);
  CHECK(decode_error(lit("\0\3\0")) == Errc::truncated);
  CHECK(decode_error(lit("\0\5\0\1oops")) == Errc::bad_string);
}

TEST_CASE("size limits: request over 512 bytes, too many options, oversized DATA") {
  std::string big("\0\1", 2);
  big += std::string(600, 'a') + std::string("\0octet\0", 7);
  CHECK(decode_error(bytes(big)) == Errc::request_too_long);

  std::string many("\0\1f\0octet\0", 10);
  for (std::size_t i = 0; i <= kMaxOptions; ++i) many += "o" + std::to_string(i) + std::string("\0" "1\0", 3);
  CHECK(decode_error(bytes(many)) == Errc::too_many_options);

  std::vector<std::uint8_t> data(kMaxPacketSize + 1, 0);
  data[1] = 3;
  CHECK(decode_error(data) == Errc::payload_too_long);
  data.resize(kMaxPacketSize);
  CHECK(decode(data).has_value());
}

TEST_CASE("error codes have readable messages") {
  CHECK(std::error_code(Errc::path_refused).message() == "path leaves the TFTP root");
  CHECK(std::string(std::error_code(Errc::truncated).category().name()) == "tftp");
}
