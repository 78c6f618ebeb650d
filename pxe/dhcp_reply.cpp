#include "pxe/dhcp_reply.h"

namespace ingot::pxe {
namespace {

constexpr Ipv4 kBroadcast = 0xffffffff;
constexpr std::uint8_t kDiscoveryUseBootFile = 8;  // PXE spec table 2-1: bit 3, skip discovery
constexpr std::uint16_t kBootServerTypeIngot = 0x8000;  // PXE vendor-specific server types 32768+
constexpr std::string_view kMenuText = "ingot";

// PXE spec §2.2: a BIOS PXE ROM only trusts a ProxyDHCP offer that carries a boot menu, so give
// it a one-entry menu with a zero-second prompt pointing at us.
void add_boot_menu(DhcpOptions& pxe, Ipv4 server) {
  ByteWriter servers;
  servers.u16be(kBootServerTypeIngot);
  servers.u8(1);
  servers.u32be(server);
  pxe.set(pxe_sub::boot_servers, servers.buffer());
  ByteWriter menu;
  menu.u16be(kBootServerTypeIngot);
  menu.u8(static_cast<std::uint8_t>(kMenuText.size()));
  menu.str(kMenuText);
  pxe.set(pxe_sub::boot_menu, menu.buffer());
  ByteWriter prompt;
  prompt.u8(0);  // timeout 0: pick the only entry at once
  prompt.str(kMenuText);
  pxe.set(pxe_sub::menu_prompt, prompt.buffer());
}

}  // namespace

DhcpPacket make_reply(const DhcpPacket& request, DhcpMessageType type, Ipv4 server_id) {
  DhcpPacket r;
  r.op = kBootReply;
  r.htype = request.htype;
  r.hlen = request.hlen;
  r.xid = request.xid;
  r.flags = request.flags;
  r.giaddr = request.giaddr;
  r.chaddr = request.chaddr;
  r.options.set_u8(opt::message_type, static_cast<std::uint8_t>(type));
  r.options.set_ip(opt::server_id, server_id);
  return r;
}

void add_boot_options(DhcpPacket& reply, const DhcpClientInfo& client, const BootFile& file, bool proxy) {
  reply.siaddr = file.next_server;
  // Long URLs go in option 67 only; the file field holds 128 bytes.
  if (file.name.size() < kFileSize) reply.file = file.name;
  reply.options.set(opt::bootfile, file.name);
  // Full-mode offers carry no "PXEClient": PXE ROMs then expect option 43 and boot server discovery.
  if (proxy) reply.options.set(opt::vendor_class, std::string_view("PXEClient"));
  if (client.http_client) reply.options.set(opt::vendor_class, std::string_view("HTTPClient"));
  if (client.ipxe) {
    DhcpOptions ipxe;
    ipxe.set_u8(ipxe_sub::no_pxedhcp, 1);
    reply.options.set(opt::ipxe_encap, encode_sub_options(ipxe));
  }
  if (proxy) {
    DhcpOptions pxe;
    pxe.set_u8(pxe_sub::discovery_control, kDiscoveryUseBootFile);
    if (!client.ipxe && client.arch == 0) add_boot_menu(pxe, file.next_server);
    reply.options.set(opt::vendor_specific, encode_sub_options(pxe));
    if (client.guid) reply.options.set(opt::client_uuid, *client.guid);
  }
}

std::uint16_t client_port_for(std::uint16_t server_port) {
  return server_port == 67 ? 68 : static_cast<std::uint16_t>(server_port + 1);
}

ReplyDestination reply_destination(const DhcpPacket& request, const DhcpPacket& reply, Ipv4 source_ip,
                                   std::uint16_t source_port, std::uint16_t server_port, bool boot_server_port) {
  if (request.giaddr != 0) return {request.giaddr, server_port, false};
  if (boot_server_port && source_ip != 0) return {source_ip, source_port, false};
  std::uint16_t client_port = client_port_for(server_port);
  if (reply.message_type() == DhcpMessageType::nak) return {kBroadcast, client_port, true};
  if (request.ciaddr != 0) return {request.ciaddr, client_port, false};
  return {kBroadcast, client_port, true};
}

}  // namespace ingot::pxe
