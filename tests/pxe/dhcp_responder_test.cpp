#include <doctest/doctest.h>

#include "pxe/boot_file_choice.h"
#include "pxe/dhcp_full_responder.h"
#include "pxe/dhcp_proxy_responder.h"
#include "pxe/dhcp_reply.h"
#include "tests/pxe/dhcp_test_util.h"

using namespace ingot::pxe;
using ingot::pxe::test::make_pxe;
using ingot::pxe::test::pxe_request;

namespace {

Ipv4 ip(const char* s) { return *parse_ipv4(s); }
const Ipv4 kServer = ip("198.18.0.1");

// The policy seam's fake: a fixed decision, and a record of what it was asked.
class FixedPolicy final : public BootPolicy {
 public:
  explicit FixedPolicy(BootDecision::Action a) { d_.action = a; }
  BootDecision decide(const Machine& m) override {
    asked.push_back(m);
    return d_;
  }
  std::vector<Machine> asked;

 private:
  BootDecision d_;
};

DhcpRequest req(DhcpPacket p, bool port4011 = false) {
  DhcpRequest r;
  r.client = client_info(p);
  r.packet = std::move(p);
  r.server_id = kServer;
  r.boot_server_port = port4011;
  r.now = 1000;
  return r;
}

AddressPlan plan() {
  AddressPlan p;
  p.first = ip("198.18.0.100");
  p.last = ip("198.18.0.199");
  p.netmask = ip("255.255.255.0");
  return p;
}

FullDhcpConfig full_config() {
  FullDhcpConfig c;
  c.routers = {kServer};
  c.dns = {ip("198.18.0.53")};
  c.boot.server = kServer;
  c.boot.http_port = 8080;
  return c;
}

// A full responder over a fresh lease table and a fixed policy.
struct FullFixture {
  explicit FullFixture(BootDecision::Action a = BootDecision::Action::boot) : policy(a) {}
  LeaseTable leases{plan()};
  FixedPolicy policy;
  FullDhcpResponder full{full_config(), leases, policy};

  // A PXE client's DISCOVER answered; the answer must be a packet (an OFFER or a NAK).
  DhcpReply discover(std::uint16_t arch, bool ipxe) {
    DhcpReply reply = full.respond(req(pxe_request(DhcpMessageType::discover, arch, ipxe)));
    REQUIRE(reply.packet);
    return reply;
  }
};

}  // namespace

TEST_CASE("boot file by arch and iPXE; silent gets nothing") {
  BootFileConfig cfg{kServer, 8080};
  Machine m;
  auto act = BootDecision::Action::boot;
  CHECK(choose_boot_file(m, act, cfg)->name == "undionly.kpxe");
  m.arch = ClientArch::efi_x64;
  CHECK(choose_boot_file(m, act, cfg)->name == "ipxe.efi");
  m.arch = ClientArch::efi_bc;
  CHECK(choose_boot_file(m, act, cfg)->name == "ipxe.efi");
  m.arch = ClientArch::efi_x64_http;
  CHECK(choose_boot_file(m, act, cfg)->name == "http://198.18.0.1:8080/ipxe.efi");
  m.arch = ClientArch::efi_arm64;
  CHECK_FALSE(choose_boot_file(m, act, cfg));
  m.ipxe = true;  // iPXE on any arch: the script, never another iPXE binary
  for (auto a : {ClientArch::bios, ClientArch::efi_x64, ClientArch::efi_arm64}) {
    m.arch = a;
    auto f = choose_boot_file(m, act, cfg);
    REQUIRE(f);
    CHECK(f->name == "http://198.18.0.1:8080/boot.ipxe");
    CHECK(f->next_server == kServer);
  }
  CHECK(choose_boot_file(m, BootDecision::Action::local_disk, cfg)->name == "http://198.18.0.1:8080/boot.ipxe");
  CHECK_FALSE(choose_boot_file(m, BootDecision::Action::silent, cfg));
}

TEST_CASE("full: DISCOVER → OFFER → REQUEST → ACK for a BIOS PXE client, with network and boot options") {
  FullFixture f;
  auto offer = f.discover(0, false);
  auto& [leases, policy, full] = f;
  CHECK(offer.packet->message_type() == DhcpMessageType::offer);
  CHECK(offer.packet->yiaddr == ip("198.18.0.100"));
  CHECK(offer.packet->file == "undionly.kpxe");
  CHECK(offer.packet->siaddr == kServer);
  CHECK(offer.packet->options.ip(opt::server_id) == kServer);
  CHECK(offer.packet->options.ip(opt::subnet_mask) == ip("255.255.255.0"));
  CHECK(offer.packet->options.ip(opt::router) == kServer);
  CHECK(offer.packet->options.u32(opt::lease_time) == 3600u);
  CHECK_FALSE(offer.packet->options.has(opt::ipxe_encap));  // not iPXE
  CHECK(policy.asked.size() == 1);

  auto r = pxe_request(DhcpMessageType::request, 0, false);
  r.options.set_ip(opt::server_id, kServer);
  r.options.set_ip(opt::requested_ip, ip("198.18.0.100"));
  auto ack = full.respond(req(r));
  REQUIRE(ack.packet);
  CHECK(ack.packet->message_type() == DhcpMessageType::ack);
  CHECK(ack.packet->yiaddr == ip("198.18.0.100"));
  CHECK(leases.dirty());
}

TEST_CASE("full: iPXE gets the script URL and 175.176=1; a plain host gets no boot file") {
  FullFixture f;
  auto offer = f.discover(7, true);
  auto& [leases, policy, full] = f;
  CHECK(offer.packet->file == "http://198.18.0.1:8080/boot.ipxe");
  auto enc = decode_sub_options(*offer.packet->options.find(opt::ipxe_encap));
  REQUIRE(enc.has_value());
  CHECK(enc->u8(ipxe_sub::no_pxedhcp) == 1);

  auto plain = full.respond(req(ingot::pxe::test::request(DhcpMessageType::discover, "52:54:00:00:00:02")));
  REQUIRE(plain.packet);
  CHECK(plain.packet->file.empty());
  CHECK_FALSE(plain.packet->options.has(opt::bootfile));
  CHECK(policy.asked.size() == 1);  // never asked about a non-PXE host
}

TEST_CASE("full: policy silent → an address but no boot file") {
  FullFixture f(BootDecision::Action::silent);
  auto offer = f.discover(0, false);
  CHECK(offer.packet->yiaddr != 0);
  CHECK(offer.packet->file.empty());
  CHECK(offer.note.find("silent") != std::string::npos);
}

TEST_CASE("full: NAK outside our network or for another's address; silence for another server's id") {
  FullFixture f;
  auto& [leases, policy, full] = f;
  auto r = ingot::pxe::test::request(DhcpMessageType::request);
  r.options.set_ip(opt::requested_ip, ip("10.1.2.3"));  // INIT-REBOOT from another network
  auto nak = full.respond(req(r));
  REQUIRE(nak.packet);
  CHECK(nak.packet->message_type() == DhcpMessageType::nak);
  CHECK(nak.packet->yiaddr == 0);

  r.options.set_ip(opt::requested_ip, ip("198.18.0.250"));  // on our subnet, outside the range
  CHECK(full.respond(req(r)).packet->message_type() == DhcpMessageType::nak);

  leases.bind(*MacAddress::parse("52:54:00:00:00:07"), ip("198.18.0.150"), 1000, 3600);
  r.options.set_ip(opt::requested_ip, ip("198.18.0.150"));  // bound to someone else
  CHECK(full.respond(req(r)).packet->message_type() == DhcpMessageType::nak);

  r.options.set_ip(opt::server_id, ip("198.18.0.2"));  // chose another server
  CHECK_FALSE(full.respond(req(r)).packet);
}

TEST_CASE("full: renewing (ciaddr), INFORM, RELEASE, DECLINE") {
  FullFixture f;
  auto& [leases, policy, full] = f;
  auto me = *MacAddress::parse("52:54:00:00:00:01");
  leases.bind(me, ip("198.18.0.120"), 900, 3600);

  auto renew = ingot::pxe::test::request(DhcpMessageType::request);
  renew.ciaddr = ip("198.18.0.120");
  auto ack = full.respond(req(renew));
  REQUIRE(ack.packet);
  CHECK(ack.packet->message_type() == DhcpMessageType::ack);
  CHECK(ack.packet->yiaddr == ip("198.18.0.120"));
  CHECK(leases.find(me)->expires == 1000 + 3600);

  auto inform = ingot::pxe::test::request(DhcpMessageType::inform);
  inform.ciaddr = ip("198.18.0.120");
  auto iack = full.respond(req(inform));
  REQUIRE(iack.packet);
  CHECK(iack.packet->yiaddr == 0);
  CHECK_FALSE(iack.packet->options.has(opt::lease_time));
  CHECK(iack.packet->options.has(opt::subnet_mask));

  auto release = ingot::pxe::test::request(DhcpMessageType::release);
  release.ciaddr = ip("198.18.0.120");
  release.options.set_ip(opt::server_id, kServer);
  CHECK_FALSE(full.respond(req(release)).packet);
  CHECK(leases.find(me)->expires == 1000);

  auto decline = ingot::pxe::test::request(DhcpMessageType::decline);
  decline.options.set_ip(opt::server_id, kServer);
  decline.options.set_ip(opt::requested_ip, ip("198.18.0.120"));
  CHECK_FALSE(full.respond(req(decline)).packet);
  CHECK(leases.find(me) == nullptr);
  auto d = ingot::pxe::test::request(DhcpMessageType::discover);
  CHECK(full.respond(req(d)).packet->yiaddr != ip("198.18.0.120"));
}

TEST_CASE("full: relayed requests are served for our subnet only") {
  FullFixture f;
  auto& [leases, policy, full] = f;
  auto d = ingot::pxe::test::request(DhcpMessageType::discover);
  d.giaddr = ip("198.18.0.254");
  CHECK(full.respond(req(d)).packet);
  d.giaddr = ip("198.19.5.1");
  CHECK_FALSE(full.respond(req(d)).packet);
}

TEST_CASE("proxy: answers PXE clients only, with boot file, next-server, PXEClient and option 43") {
  FixedPolicy policy(BootDecision::Action::boot);
  ProxyDhcpResponder proxy(BootFileConfig{kServer, 8080}, policy);
  auto d = ingot::pxe::test::request(DhcpMessageType::discover);
  CHECK_FALSE(proxy.respond(req(d)).packet);  // not PXE
  make_pxe(d, 0, false);
  std::vector<std::uint8_t> guid(17, 0x11);
  guid[0] = 0;
  d.options.set(opt::client_uuid, guid);
  auto offer = proxy.respond(req(d));
  REQUIRE(offer.packet);
  CHECK(offer.packet->message_type() == DhcpMessageType::offer);
  CHECK(offer.packet->yiaddr == 0);
  CHECK(offer.packet->siaddr == kServer);
  CHECK(offer.packet->file == "undionly.kpxe");
  CHECK(offer.packet->options.text(opt::vendor_class) == "PXEClient");
  CHECK(*offer.packet->options.find(opt::client_uuid) == guid);
  auto pxe = decode_sub_options(*offer.packet->options.find(opt::vendor_specific));
  REQUIRE(pxe.has_value());
  CHECK(pxe->u8(pxe_sub::discovery_control) == 8);
  CHECK(pxe->has(pxe_sub::boot_menu));  // BIOS PXE ROMs want a menu

  // iPXE, even with a URL, still gets next-server (else it says "Nothing to boot").
  auto i = pxe_request(DhcpMessageType::discover, 7, true);
  auto ioffer = proxy.respond(req(i));
  REQUIRE(ioffer.packet);
  CHECK(ioffer.packet->file == "http://198.18.0.1:8080/boot.ipxe");
  CHECK(ioffer.packet->siaddr == kServer);

  // A REQUEST on 67 belongs to the real DHCP server.
  auto r = pxe_request(DhcpMessageType::request, 0, false);
  r.options.set_ip(opt::server_id, ip("198.18.0.2"));
  CHECK_FALSE(proxy.respond(req(r)).packet);
}

TEST_CASE("proxy: port 4011 REQUEST gets an ACK; policy silent gets nothing") {
  FixedPolicy policy(BootDecision::Action::boot);
  ProxyDhcpResponder proxy(BootFileConfig{kServer, 8080}, policy);
  auto r = pxe_request(DhcpMessageType::request, 7, false);
  r.ciaddr = ip("198.18.0.77");
  auto ack = proxy.respond(req(r, true));
  REQUIRE(ack.packet);
  CHECK(ack.packet->message_type() == DhcpMessageType::ack);
  CHECK(ack.packet->file == "ipxe.efi");
  CHECK(ack.packet->ciaddr == ip("198.18.0.77"));
  CHECK_FALSE(decode_sub_options(*ack.packet->options.find(opt::vendor_specific))->has(pxe_sub::boot_item));

  // A BIOS ROM names its boot item (type 0x8000, layer 0); the ACK carries it back.
  DhcpOptions item;
  item.set(pxe_sub::boot_item, std::vector<std::uint8_t>{0x80, 0x00, 0x00, 0x00});
  r.options.set(opt::vendor_specific, encode_sub_options(item));
  auto ack2 = proxy.respond(req(r, true));
  REQUIRE(ack2.packet);
  auto sub = decode_sub_options(*ack2.packet->options.find(opt::vendor_specific));
  REQUIRE(sub.has_value());
  CHECK(*sub->find(pxe_sub::boot_item) == std::vector<std::uint8_t>{0x80, 0x00, 0x00, 0x00});

  FixedPolicy silent(BootDecision::Action::silent);
  ProxyDhcpResponder quiet(BootFileConfig{kServer, 8080}, silent);
  auto d = pxe_request(DhcpMessageType::discover, 0, false);
  CHECK_FALSE(quiet.respond(req(d)).packet);
}

TEST_CASE("reply destination per RFC 2131 §4.1") {
  auto reqp = ingot::pxe::test::request(DhcpMessageType::discover);
  auto offer = make_reply(reqp, DhcpMessageType::offer, kServer);
  auto d = reply_destination(reqp, offer, 0, 68, 67, false);
  CHECK(d.broadcast);
  CHECK(d.port == 68);
  CHECK(reply_destination(reqp, offer, 0, 68, 1067, false).port == 1068);
  reqp.giaddr = ip("127.0.0.2");
  d = reply_destination(reqp, offer, ip("127.0.0.2"), 1067, 1067, false);
  CHECK(d.ip == ip("127.0.0.2"));
  CHECK(d.port == 1067);
  CHECK_FALSE(d.broadcast);
  reqp.giaddr = 0;
  reqp.ciaddr = ip("198.18.0.5");
  CHECK(reply_destination(reqp, offer, ip("198.18.0.5"), 68, 67, false).ip == ip("198.18.0.5"));
  auto nak = make_reply(reqp, DhcpMessageType::nak, kServer);
  CHECK(reply_destination(reqp, nak, ip("198.18.0.5"), 68, 67, false).broadcast);
  d = reply_destination(reqp, offer, ip("198.18.0.5"), 4011, 67, true);
  CHECK(d.ip == ip("198.18.0.5"));
  CHECK(d.port == 4011);
}
