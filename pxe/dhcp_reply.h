// Building blocks shared by the full and proxy responders: the reply skeleton (RFC 2131 §4.3.1
// table 3), the PXE/iPXE boot options, and where a reply goes (RFC 2131 §4.1).
#pragma once

#include <cstdint>

#include "pxe/boot_file_choice.h"
#include "pxe/dhcp_client_info.h"
#include "pxe/dhcp_packet.h"

namespace ingot::pxe {

// op, xid, flags, giaddr and chaddr copied from the request; options 53 and 54 set first.
DhcpPacket make_reply(const DhcpPacket& request, DhcpMessageType type, Ipv4 server_id);

// File, next-server (siaddr, also when the file is a URL: iPXE ignores ProxyDHCP replies
// without it), 175.176 = 1 for iPXE (skips its 3 s ProxyDHCP wait). proxy adds what a
// ProxyDHCP reply needs: vendor class "PXEClient", option 43 and the client's GUID echoed.
void add_boot_options(DhcpPacket& reply, const DhcpClientInfo& client, const BootFile& file, bool proxy);

struct ReplyDestination {
  Ipv4 ip = 0;
  std::uint16_t port = 0;
  bool broadcast = false;
};

// The DHCP client port that goes with a server port: 67 → 68, and for a test server on port P,
// P + 1 (dnsmasq's convention for alternate ports).
std::uint16_t client_port_for(std::uint16_t server_port);

// Relayed → giaddr at the server port; NAK → broadcast; a client with an address (renewing,
// INFORM) → ciaddr; 4011 → back to the sender. A client without an address gets a broadcast:
// unicasting to yiaddr would need an ARP entry injected, which is not worth a privileged path.
ReplyDestination reply_destination(const DhcpPacket& request, const DhcpPacket& reply, Ipv4 source_ip,
                                   std::uint16_t source_port, std::uint16_t server_port, bool boot_server_port);

}  // namespace ingot::pxe
