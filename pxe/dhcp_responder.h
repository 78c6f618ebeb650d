// The seam between the DHCP shell (sockets) and the two responders, full DHCP and ProxyDHCP:
// one decoded request in, at most one reply out, plus a note for the log saying why. Pure:
// no sockets, no clock (the time comes in the request), no logging.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "pxe/dhcp_client_info.h"
#include "pxe/dhcp_packet.h"

namespace ingot::pxe {

struct DhcpRequest {
  DhcpPacket packet;
  DhcpClientInfo client;
  Ipv4 server_id = 0;          // our address on the interface the request came in on
  bool boot_server_port = false;  // arrived on 4011 (PXE boot server discovery)
  std::int64_t now = 0;        // unix seconds
};

struct DhcpReply {
  std::optional<DhcpPacket> packet;  // nullopt: stay silent
  std::string note;                  // for the log: what the client got, or why nothing
};

class DhcpResponder {
 public:
  virtual ~DhcpResponder() = default;
  virtual DhcpReply respond(const DhcpRequest& request) = 0;
};

}  // namespace ingot::pxe
