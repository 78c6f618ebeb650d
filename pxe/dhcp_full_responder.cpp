#include "pxe/dhcp_full_responder.h"

#include "pxe/dhcp_reply.h"

namespace ingot::pxe {

DhcpReply FullDhcpResponder::respond(const DhcpRequest& r) {
  if (r.packet.op != kBootRequest) return {std::nullopt, "not a request"};
  if (r.boot_server_port) return {std::nullopt, "port 4011 is ProxyDHCP's"};
  // A relay agent's giaddr names the client's subnet; we serve only our own.
  if (r.packet.giaddr != 0 && !leases_.in_subnet(r.packet.giaddr))
    return {std::nullopt, "relayed from " + ipv4_to_string(r.packet.giaddr) + ", not our subnet"};
  auto type = r.packet.message_type();
  if (!type) return {std::nullopt, "no message type"};
  switch (*type) {
    case DhcpMessageType::discover: return discover(r);
    case DhcpMessageType::request: return request(r);
    case DhcpMessageType::inform: return inform(r);
    case DhcpMessageType::decline: {
      auto ip = r.packet.options.ip(opt::requested_ip);
      if (r.packet.options.ip(opt::server_id) != r.server_id || !ip) return {std::nullopt, "DECLINE not for us"};
      leases_.decline(r.client.mac, *ip, r.now, config_.decline_quarantine_seconds);
      return {std::nullopt, "declined " + ipv4_to_string(*ip) + ", quarantined"};
    }
    case DhcpMessageType::release: {
      auto sid = r.packet.options.ip(opt::server_id);
      if (sid && *sid != r.server_id) return {std::nullopt, "RELEASE for another server"};
      leases_.release(r.client.mac, r.packet.ciaddr, r.now);
      return {std::nullopt, "released " + ipv4_to_string(r.packet.ciaddr)};
    }
    default: return {std::nullopt, "ignored: a server message"};
  }
}

DhcpReply FullDhcpResponder::discover(const DhcpRequest& r) {
  auto ip = leases_.offer(r.client.mac, r.packet.options.ip(opt::requested_ip), r.now, config_.offer_hold_seconds);
  if (!ip) return {std::nullopt, "no free address in the range"};
  DhcpPacket reply = make_reply(r.packet, DhcpMessageType::offer, r.server_id);
  reply.yiaddr = *ip;
  std::string note = "offer " + ipv4_to_string(*ip);
  add_config(reply, r, true, note);
  return {std::move(reply), note};
}

DhcpReply FullDhcpResponder::request(const DhcpRequest& r) {
  auto sid = r.packet.options.ip(opt::server_id);
  if (sid && *sid != r.server_id) {
    // RFC 2131 §4.3.2: the client chose another server's offer; ours is void, and answering
    // would break that server's exchange.
    leases_.forget_offer(r.client.mac);
    return {std::nullopt, "chose server " + ipv4_to_string(*sid)};
  }
  Ipv4 ip = r.packet.options.ip(opt::requested_ip).value_or(r.packet.ciaddr);
  if (ip == 0) return {std::nullopt, "REQUEST without an address"};
  if (!leases_.in_subnet(ip)) return nak(r, ipv4_to_string(ip) + " is not on this network");
  if (!leases_.can_bind(r.client.mac, ip, r.now)) return nak(r, ipv4_to_string(ip) + " is not yours");
  leases_.bind(r.client.mac, ip, r.now, config_.lease_seconds);
  DhcpPacket reply = make_reply(r.packet, DhcpMessageType::ack, r.server_id);
  reply.yiaddr = ip;
  reply.ciaddr = r.packet.ciaddr;
  std::string note = "ack " + ipv4_to_string(ip);
  add_config(reply, r, true, note);
  return {std::move(reply), note};
}

DhcpReply FullDhcpResponder::inform(const DhcpRequest& r) {
  // RFC 2131 §4.3.5: configuration only; no lease time, no yiaddr.
  DhcpPacket reply = make_reply(r.packet, DhcpMessageType::ack, r.server_id);
  reply.ciaddr = r.packet.ciaddr;
  std::string note = "inform ack";
  add_config(reply, r, false, note);
  return {std::move(reply), note};
}

DhcpReply FullDhcpResponder::nak(const DhcpRequest& r, const std::string& why) {
  DhcpPacket reply = make_reply(r.packet, DhcpMessageType::nak, r.server_id);
  reply.options.set(opt::message, why);
  return {std::move(reply), "nak: " + why};
}

void FullDhcpResponder::add_config(DhcpPacket& reply, const DhcpRequest& r, bool with_lease, std::string& note) {
  if (with_lease) {
    reply.options.set_u32(opt::lease_time, config_.lease_seconds);
    reply.options.set_u32(opt::renewal_time, config_.lease_seconds / 2);
    reply.options.set_u32(opt::rebinding_time, config_.lease_seconds / 8 * 7);
  }
  reply.options.set_ip(opt::subnet_mask, leases_.plan().netmask);
  if (!config_.routers.empty()) reply.options.set_ips(opt::router, config_.routers);
  if (!config_.dns.empty()) reply.options.set_ips(opt::dns_servers, config_.dns);

  const DhcpClientInfo& c = r.client;
  if (!c.pxe && !c.ipxe && !c.http_client) return;  // an ordinary host: no boot file
  Machine m = c.machine();
  auto decision = policy_.decide(m);
  BootFileConfig boot = config_.boot;
  if (boot.server == 0) boot.server = r.server_id;
  auto file = choose_boot_file(m, decision.action, boot);
  if (!file) {
    note += decision.action == BootDecision::Action::silent ? ", no boot file (policy: silent)"
                                                            : ", no boot file for arch " + std::to_string(c.arch);
    return;
  }
  add_boot_options(reply, c, *file, false);
  note += ", boot " + file->name;
}

}  // namespace ingot::pxe
