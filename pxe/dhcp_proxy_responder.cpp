#include "pxe/dhcp_proxy_responder.h"

#include "pxe/dhcp_reply.h"

namespace ingot::pxe {
namespace {

// PXE spec §2.2.6: the boot server ACK names the boot item (type, layer) it answers, copied
// from the client's REQUEST; Intel-style ROMs discard an ACK without it.
void echo_boot_item(const DhcpPacket& request, DhcpPacket& reply) {
  auto* req43 = request.options.find(opt::vendor_specific);
  auto* rep43 = reply.options.find(opt::vendor_specific);
  if (!req43 || !rep43) return;
  auto asked = decode_sub_options(*req43);
  auto ours = decode_sub_options(*rep43);
  if (!asked || !ours) return;
  auto* item = asked->find(pxe_sub::boot_item);
  if (!item) return;
  ours->set(pxe_sub::boot_item, *item);
  reply.options.set(opt::vendor_specific, encode_sub_options(*ours));
}

}  // namespace

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
  if (r.boot_server_port) echo_boot_item(r.packet, reply);
  return {std::move(reply), std::string(answer == DhcpMessageType::offer ? "proxy offer" : "proxy ack") +
                                ", boot " + file->name};
}

}  // namespace ingot::pxe
