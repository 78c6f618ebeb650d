#include "pxe/dhcp_proxy_responder.h"

#include "pxe/dhcp_reply.h"

namespace ingot::pxe {

DhcpReply ProxyDhcpResponder::respond(const DhcpRequest& r) {
  if (r.packet.op != kBootRequest) return {std::nullopt, "not a request"};
  if (!r.client.pxe) return {std::nullopt, "not a PXE client"};
  auto type = r.packet.message_type();
  DhcpMessageType answer;
  if (r.boot_server_port) {
    // 4011: EDK2 and iPXE send REQUEST, some ROMs INFORM; all expect an ACK.
    if (type != DhcpMessageType::request && type != DhcpMessageType::inform)
      return {std::nullopt, "port 4011 expects REQUEST"};
    answer = DhcpMessageType::ack;
  } else if (type == DhcpMessageType::discover) {
    answer = DhcpMessageType::offer;
  } else if (type == DhcpMessageType::request && r.packet.options.ip(opt::server_id) == r.server_id) {
    // A ROM that selected our proxy offer on port 67 (against the spec, but seen).
    answer = DhcpMessageType::ack;
  } else {
    return {std::nullopt, "left to the DHCP server"};
  }
  Machine m = r.client.machine();
  auto decision = policy_.decide(m);
  BootFileConfig boot = boot_;
  if (boot.server == 0) boot.server = r.server_id;  // no --advertise: the address they reached
  auto file = choose_boot_file(m, decision.action, boot);
  if (!file) {
    return {std::nullopt, decision.action == BootDecision::Action::silent
                              ? "silent (policy)"
                              : "no boot file for arch " + std::to_string(r.client.arch)};
  }
  DhcpPacket reply = make_reply(r.packet, answer, r.server_id);
  reply.ciaddr = r.packet.ciaddr;
  add_boot_options(reply, r.client, *file, true);
  return {std::move(reply), std::string(answer == DhcpMessageType::offer ? "proxy offer" : "proxy ack") +
                                ", boot " + file->name};
}

}  // namespace ingot::pxe
