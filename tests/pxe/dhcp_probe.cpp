// dhcp_probe: sends one DHCP packet built with ingot's codec and prints the reply as key=value
// lines (exit 0), or "no reply" (exit 3). The integration tests run it inside a network
// namespace to play PXE firmware, iPXE, or a relay agent.
//   dhcp_probe --type discover|request|inform --mac M [--pxe-arch N] [--ipxe] [--device IF]
//              [--bind IP:PORT] [--to IP:PORT] [--giaddr IP] [--ciaddr IP] [--requested IP]
//              [--server-id IP] [--timeout-ms N]
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include "pxe/dhcp_client_info.h"
#include "tests/pxe/dhcp_test_client.h"

using namespace ingot::pxe;
using ingot::pxe::test::parse_endpoint;

namespace {

int usage(const std::string& why) {
  std::cerr << "dhcp_probe: " << why << "\n";
  return 2;
}

std::string hex(const std::vector<std::uint8_t>& v) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (auto b : v) {
    s += d[b >> 4];
    s += d[b & 15];
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0) return usage("unexpected " + k);
    k = k.substr(2);
    if (k == "ipxe") a[k] = "1";
    else if (i + 1 < argc) a[k] = argv[++i];
    else return usage("--" + k + " needs a value");
  }
  static const std::map<std::string, DhcpMessageType> types = {
      {"discover", DhcpMessageType::discover}, {"request", DhcpMessageType::request},
      {"inform", DhcpMessageType::inform}};
  if (!types.count(a["type"])) return usage("--type discover|request|inform");
  auto mac = MacAddress::parse(a.count("mac") ? a["mac"] : "52:54:00:00:00:01");
  if (!mac) return usage("bad --mac");

  DhcpPacket p;
  p.xid = static_cast<std::uint32_t>(std::rand()) ^ 0x5a5a1234u;
  p.set_mac(*mac);
  p.options.set_u8(opt::message_type, static_cast<std::uint8_t>(types.at(a["type"])));
  auto ip_arg = [&](const char* k) -> Ipv4 { return a.count(k) ? parse_ipv4(a[k]).value_or(0) : 0; };
  p.giaddr = ip_arg("giaddr");
  p.ciaddr = ip_arg("ciaddr");
  if (p.giaddr) p.hops = 1;
  if (a.count("requested")) p.options.set_ip(opt::requested_ip, ip_arg("requested"));
  if (a.count("server-id")) p.options.set_ip(opt::server_id, ip_arg("server-id"));
  if (a.count("pxe-arch")) {
    auto arch = static_cast<std::uint16_t>(std::stoul(a["pxe-arch"]));
    char vc[40];
    std::snprintf(vc, sizeof vc, "PXEClient:Arch:%05u:UNDI:002001", arch);
    p.options.set(opt::vendor_class, std::string_view(vc));
    p.options.set_u16(opt::client_arch, arch);
    p.options.set(opt::client_ndi, std::vector<std::uint8_t>{1, 2, 1});
    std::vector<std::uint8_t> guid{0, 0x78, 0x56, 0x34, 0x12, 0xbc, 0x9a, 0xf0, 0xde, 1, 2, 3, 4, 5, 6, 7, 8};
    p.options.set(opt::client_uuid, guid);
  }
  if (a.count("ipxe")) p.options.set(opt::user_class, std::string_view("iPXE"));

  Ipv4 bind_ip = 0, to_ip = 0xffffffff;
  std::uint16_t bind_port = 68, to_port = 67;
  if (a.count("bind") && !parse_endpoint(a["bind"], bind_ip, bind_port)) return usage("bad --bind");
  if (a.count("to") && !parse_endpoint(a["to"], to_ip, to_port)) return usage("bad --to");
  if (to_ip == 0xffffffff) p.flags = kBroadcastFlag;
  ingot::pxe::test::DhcpTestClient client(bind_ip, bind_port, a.count("device") ? a["device"] : "");
  if (!client.ok()) return usage("cannot bind " + ipv4_to_string(bind_ip) + ":" + std::to_string(bind_port));
  if (!client.send(p, to_ip, to_port)) return usage("send failed");
  auto reply = client.receive(p.xid, a.count("timeout-ms") ? std::stoi(a["timeout-ms"]) : 2000);
  if (!reply) {
    std::cout << "no reply\n";
    return 3;
  }
  auto t = reply->message_type();
  std::cout << "type=" << (t ? to_string(*t) : "?") << "\n"
            << "yiaddr=" << ipv4_to_string(reply->yiaddr) << "\n"
            << "siaddr=" << ipv4_to_string(reply->siaddr) << "\n"
            << "giaddr=" << ipv4_to_string(reply->giaddr) << "\n"
            << "file=" << reply->file << "\n"
            << "server_id=" << ipv4_to_string(reply->options.ip(opt::server_id).value_or(0)) << "\n"
            << "vendor_class=" << reply->options.text(opt::vendor_class).value_or("") << "\n";
  for (std::uint8_t code : {opt::vendor_specific, opt::ipxe_encap, opt::client_uuid})
    if (auto* v = reply->options.find(code)) std::cout << "opt" << int(code) << "=" << hex(*v) << "\n";
  return 0;
}
