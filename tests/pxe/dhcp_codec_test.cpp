#include <doctest/doctest.h>

#include "pxe/dhcp_client_info.h"
#include "pxe/dhcp_error.h"
#include "pxe/dhcp_packet.h"
#include "tests/pxe/dhcp_test_util.h"

using namespace ingot::pxe;
using ingot::pxe::test::capture;

namespace {
std::vector<std::uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }
}  // namespace

TEST_CASE("golden: busybox udhcpc DISCOVER") {
  auto p = decode_dhcp(capture("udhcpc-00-discover.bin"));
  REQUIRE(p.has_value());
  CHECK(p->op == kBootRequest);
  CHECK(p->message_type() == DhcpMessageType::discover);
  CHECK(p->mac().to_string() == "02:00:00:00:00:0c");
  CHECK(p->options.text(opt::hostname) == "capture");
  CHECK(p->options.text(opt::vendor_class) == "busybox-test");
  CHECK(p->options.u16(opt::max_message_size) == 576);
  auto* prl = p->options.find(opt::parameter_list);
  REQUIRE(prl);
  CHECK(std::vector<std::uint8_t>(*prl) == std::vector<std::uint8_t>{1, 3, 6, 12, 15, 28, 42});
  auto c = client_info(*p);
  CHECK_FALSE(c.pxe);
  CHECK_FALSE(c.ipxe);
  CHECK_FALSE(c.uuid);
}

TEST_CASE("golden: busybox udhcpc REQUEST carries the chosen server and address") {
  auto p = decode_dhcp(capture("udhcpc-02-request.bin"));
  REQUIRE(p.has_value());
  CHECK(p->message_type() == DhcpMessageType::request);
  CHECK(p->options.ip(opt::server_id) == parse_ipv4("198.18.0.1"));
  CHECK(p->options.ip(opt::requested_ip) == parse_ipv4("198.18.0.105"));
}

TEST_CASE("golden: dnsmasq OFFER and ACK (server side of the udhcpc capture)") {
  auto offer = decode_dhcp(capture("udhcpc-01-offer.bin"));
  REQUIRE(offer.has_value());
  CHECK(offer->op == kBootReply);
  CHECK(offer->message_type() == DhcpMessageType::offer);
  CHECK(offer->yiaddr == parse_ipv4("198.18.0.105"));
  CHECK(offer->options.u32(opt::lease_time) == 3600u);
  auto ack = decode_dhcp(capture("udhcpc-03-ack.bin"));
  REQUIRE(ack.has_value());
  CHECK(ack->message_type() == DhcpMessageType::ack);
  CHECK(ack->options.ip(opt::subnet_mask) == parse_ipv4("255.255.255.0"));
}

TEST_CASE("golden: QEMU iPXE ROM DISCOVER (BIOS) is PXE, iPXE, arch 0, with UUID") {
  auto p = decode_dhcp(capture("ipxe-bios-00-discover.bin"));
  REQUIRE(p.has_value());
  auto c = client_info(*p);
  CHECK(c.mac.to_string() == "52:54:00:12:34:56");
  CHECK(c.pxe);
  CHECK(c.ipxe);
  CHECK(c.arch == 0);
  CHECK(c.user_classes == std::vector<std::string>{"iPXE"});
  // QEMU ran with -uuid 12345678-9abc-def0-1122-334455667788; the wire has fields 1-3 swapped.
  CHECK(c.uuid == "12345678-9abc-def0-1122-334455667788");
  CHECK(p->options.find(opt::client_ndi)->size() == 3);
  // iPXE announces its features in option 175; the encapsulated TLVs decode cleanly.
  auto enc = decode_sub_options(*p->options.find(opt::ipxe_encap));
  REQUIRE(enc.has_value());
  CHECK(enc->u8(0x17) == 1);  // HTTP feature
  CHECK(enc->find(0xb1));     // bus id
}

TEST_CASE("golden: iPXE REQUEST and the dnsmasq boot file in OFFER/ACK") {
  auto req = decode_dhcp(capture("ipxe-bios-04-request.bin"));
  REQUIRE(req.has_value());
  CHECK(req->message_type() == DhcpMessageType::request);
  CHECK(req->options.ip(opt::requested_ip));
  auto offer = decode_dhcp(capture("ipxe-bios-01-offer.bin"));
  REQUIRE(offer.has_value());
  // dnsmasq answered iPXE in option 67, NUL-terminated, and left the file field empty.
  CHECK(offer->file.empty());
  CHECK(offer->options.text(opt::bootfile) == "undionly.kpxe");
}

TEST_CASE("golden: OVMF UEFI x64 DISCOVER is arch 7") {
  auto p = decode_dhcp(capture("ovmf-x64-00-discover.bin"));
  REQUIRE(p.has_value());
  auto c = client_info(*p);
  CHECK(c.pxe);
  CHECK(c.arch == 7);
  CHECK(c.machine().arch == ingot::pxe::ClientArch::efi_x64);
  CHECK(c.uuid == "00112233-4455-6677-8899-aabbccddeeff");
}

TEST_CASE("round trip: every capture re-encodes to a packet that decodes identically") {
  for (const char* name : {"udhcpc-00-discover.bin", "udhcpc-01-offer.bin", "udhcpc-02-request.bin",
                           "udhcpc-03-ack.bin", "ipxe-bios-00-discover.bin", "ipxe-bios-01-offer.bin",
                           "ipxe-bios-04-request.bin", "ipxe-bios-05-ack.bin", "ovmf-x64-00-discover.bin",
                           "ovmf-x64-04-request.bin", "ovmf-x64-05-ack.bin"}) {
    CAPTURE(name);
    auto raw = capture(name);
    auto p = decode_dhcp(raw);
    REQUIRE(p.has_value());
    auto enc = encode_dhcp(*p, kMaxReplySize);
    REQUIRE(enc.has_value());
    auto again = decode_dhcp(*enc);
    REQUIRE(again.has_value());
    CHECK(*again == *p);
    // Same header and option bytes as the client sent, up to the end option (clients pad differently).
    auto end = std::find(raw.begin() + kDhcpHeaderSize, raw.end(), 255);
    std::size_t used = static_cast<std::size_t>(end - raw.begin()) + 1;
    bool has_pad = std::find(raw.begin() + kDhcpHeaderSize, end, 0) != end;
    if (!has_pad) CHECK(std::equal(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(used), enc->begin()));
  }
}

TEST_CASE("encoder: replies are padded to 300 bytes and end with the end option") {
  auto p = ingot::pxe::test::request(DhcpMessageType::offer);
  auto enc = encode_dhcp(p);
  REQUIRE(enc.has_value());
  CHECK(enc->size() == kMinReplySize);
  CHECK((*enc)[kDhcpHeaderSize + 3] == opt::end);
}

TEST_CASE("RFC 3396: a long option is split on encode and concatenated on decode") {
  auto p = ingot::pxe::test::request(DhcpMessageType::ack);
  std::string long_value(300, 'x');
  long_value[299] = 'y';
  p.options.set(opt::vendor_specific, long_value);
  auto enc = encode_dhcp(p, kMaxReplySize);
  REQUIRE(enc.has_value());
  // Two instances: 255 + 45 bytes.
  CHECK((*enc)[kDhcpHeaderSize + 3] == opt::vendor_specific);
  CHECK((*enc)[kDhcpHeaderSize + 4] == 255);
  auto back = decode_dhcp(*enc);
  REQUIRE(back.has_value());
  CHECK(back->options.text(opt::vendor_specific) == long_value);
}

TEST_CASE("option overload: options spill into file and sname, and are read back from there") {
  auto p = ingot::pxe::test::request(DhcpMessageType::ack);
  // 576 bytes leave 335 for options; six 60-byte instances (360 bytes) do not fit.
  for (std::uint8_t code = 200; code < 206; ++code) p.options.set(code, std::string(58, static_cast<char>(code)));
  auto enc = encode_dhcp(p, kDefaultMaxReply);
  REQUIRE(enc.has_value());
  CHECK(enc->size() <= kDefaultMaxReply);
  CHECK((*enc)[kDhcpHeaderSize] == opt::overload);
  auto back = decode_dhcp(*enc);
  REQUIRE(back.has_value());
  CHECK(back->file.empty());
  for (std::uint8_t code = 200; code < 206; ++code) CHECK(back->options.text(code) == std::string(58, char(code)));
  CHECK_FALSE(back->options.has(opt::overload));
}

TEST_CASE("option overload: decoding a hand-made overloaded packet, split option across areas") {
  auto p = ingot::pxe::test::request(DhcpMessageType::discover);
  auto enc = encode_dhcp(p);
  REQUIRE(enc.has_value());
  auto& b = *enc;
  // file field (offset 108): option 12 "ab", end. sname (offset 44): option 12 "cd" (continues).
  const std::size_t file_at = 108, sname_at = 44;
  std::uint8_t file_opts[] = {12, 2, 'a', 'b', 255};
  std::uint8_t sname_opts[] = {12, 2, 'c', 'd', 255};
  std::copy(std::begin(file_opts), std::end(file_opts), b.begin() + file_at);
  std::copy(std::begin(sname_opts), std::end(sname_opts), b.begin() + sname_at);
  std::uint8_t main_opts[] = {53, 1, 1, 52, 1, 3, 12, 1, 'z', 255};
  std::copy(std::begin(main_opts), std::end(main_opts), b.begin() + kDhcpHeaderSize);
  auto back = decode_dhcp(b);
  REQUIRE(back.has_value());
  // RFC 3396 order: options field, then file, then sname.
  CHECK(back->options.text(opt::hostname) == "zabcd");
  CHECK(back->sname.empty());
}

TEST_CASE("user class: RFC 3004 lists and iPXE's bare string both parse") {
  CHECK(parse_user_classes(bytes_of("iPXE")) == std::vector<std::string>{"iPXE"});
  CHECK(parse_user_classes(bytes_of("\x04iPXE")) == std::vector<std::string>{"iPXE"});
  CHECK(parse_user_classes(bytes_of("\x03" "abc" "\x04iPXE")) == std::vector<std::string>{"abc", "iPXE"});
  CHECK(parse_user_classes(bytes_of("\x09iPXE")) == std::vector<std::string>{"\x09iPXE"});
  CHECK(parse_user_classes({}).empty());
}

TEST_CASE("client info: arch from the vendor class when option 93 is missing; no UUID when omitted") {
  auto p = ingot::pxe::test::request(DhcpMessageType::discover);
  p.options.set(opt::vendor_class, std::string_view("PXEClient:Arch:00009:UNDI:003016"));
  auto c = client_info(p);
  CHECK(c.pxe);
  CHECK(c.arch == 9);
  CHECK_FALSE(c.uuid);
  std::vector<std::uint8_t> zero_guid(17, 0);
  p.options.set(opt::client_uuid, zero_guid);
  CHECK_FALSE(client_info(p).uuid);  // QEMU without -uuid: zeros are no identity
  p.options.set(opt::client_uuid, std::vector<std::uint8_t>(5, 1));
  CHECK_FALSE(client_info(p).uuid);  // wrong length: ignored, not an error
}

TEST_CASE("malformed: each bad packet is a clear error, never a crash") {
  auto good = *encode_dhcp(ingot::pxe::test::request(DhcpMessageType::discover));
  auto code_of = [](const std::vector<std::uint8_t>& b) {
    auto r = decode_dhcp(b);
    return r ? std::error_code{} : r.error().code;
  };
  CHECK(code_of({}) == DhcpError::truncated);
  CHECK(code_of(std::vector<std::uint8_t>(good.begin(), good.begin() + 239)) == DhcpError::truncated);
  CHECK(code_of(std::vector<std::uint8_t>(kMaxPacketSize + 1, 0)) == DhcpError::too_large);
  auto b = good;
  b[0] = 3;
  CHECK(code_of(b) == DhcpError::bad_op);
  b = good;
  b[2] = 17;
  CHECK(code_of(b) == DhcpError::bad_hardware);
  b = good;
  b[236] = 0;
  CHECK(code_of(b) == DhcpError::bad_magic);
  b = good;
  b[240] = 53;
  b[241] = 1;
  b[242] = 9;  // no such message type
  CHECK(code_of(b) == DhcpError::bad_message_type);
  b = std::vector<std::uint8_t>(good.begin(), good.begin() + 240);
  b.insert(b.end(), {53, 1, 1, 12, 200, std::uint8_t('x')});  // length runs off the end
  CHECK(code_of(b) == DhcpError::option_truncated);
  b = std::vector<std::uint8_t>(good.begin(), good.begin() + 240);
  for (std::uint8_t v : {53, 1, 1, 52, 1, 7}) b.push_back(v);
  CHECK(code_of(b) == DhcpError::bad_overload);
  b = std::vector<std::uint8_t>(good.begin(), good.begin() + 240);
  for (std::uint8_t v : {53, 1, 1}) b.push_back(v);
  for (int i = 0; i < 300; ++i) b.insert(b.end(), {12, 0});
  CHECK(code_of(b) == DhcpError::too_many_options);
  b = std::vector<std::uint8_t>(good.begin(), good.begin() + 240);
  for (std::uint8_t v : {53, 1, 1}) b.push_back(v);
  for (int i = 0; i < 5; ++i) {
    b.insert(b.end(), {43, 255});
    b.insert(b.end(), 255, 'a');
  }
  CHECK(code_of(b) == DhcpError::option_too_long);
  b = std::vector<std::uint8_t>(good.begin(), good.begin() + 240);
  b.insert(b.end(), {12, 1, std::uint8_t('x'), 255});  // DHCP cookie but no option 53
  CHECK(code_of(b) == DhcpError::bad_message_type);
  // No end option, zero padding (seen from PXE ROMs): accepted.
  b = std::vector<std::uint8_t>(good.begin(), good.begin() + 240);
  b.insert(b.end(), {53, 1, 1, 0, 0, 0});
  CHECK(decode_dhcp(b).has_value());
}

TEST_CASE("encoder refuses what cannot fit") {
  auto p = ingot::pxe::test::request(DhcpMessageType::ack);
  p.file = std::string(129, 'f');
  CHECK(encode_dhcp(p).error().code == DhcpError::too_large);
  p.file.clear();
  p.sname = "taken";  // with file taken too, nowhere to spill
  p.file = "taken";
  for (std::uint8_t code = 200; code < 210; ++code) p.options.set(code, std::string(100, 'v'));
  CHECK(encode_dhcp(p, kDefaultMaxReply).error().code == DhcpError::too_large);
}

TEST_CASE("ipv4 text") {
  CHECK(parse_ipv4("198.18.0.1") == 0xc6120001u);
  CHECK(ipv4_to_string(0xc6120001u) == "198.18.0.1");
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "a.b.c.d", "1.2.3.4 ", "1234.1.1.1"})
    CHECK_FALSE(parse_ipv4(bad));
}
