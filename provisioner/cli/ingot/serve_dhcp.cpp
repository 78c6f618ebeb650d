// Starts the DHCP part of `ingot serve` from its options: full DHCP (range, reservations, a
// lease file under --state-dir) or ProxyDHCP (port 67 + 4011), on --interface or on the
// interface that holds --listen.
#include <filesystem>
#include <sstream>

#include "common/log.h"
#include "provisioner/cli/ingot/serve_options.h"
#include "pxe/dhcp_full_responder.h"
#include "pxe/dhcp_interface.h"
#include "pxe/dhcp_lease_file.h"
#include "pxe/dhcp_proxy_responder.h"
#include "pxe/dhcp_reservations.h"
#include "pxe/dhcp_server.h"

namespace ingot::serve {
namespace {

using namespace ingot::pxe;

constexpr const char* kLeaseFileName = "dhcp-leases.json";

class DhcpService final : public Service {
 public:
  std::unique_ptr<LeaseTable> leases;
  std::unique_ptr<DhcpResponder> responder;
  std::unique_ptr<DhcpServer> server;  // last: stops before what it uses goes away
};

Result<Ipv4> ip_flag(const char* flag, const std::string& text) {
  auto ip = parse_ipv4(text);
  if (!ip) return fail(std::string("--") + flag + ": '" + text + "' is not an IPv4 address");
  return *ip;
}

Result<std::vector<Ipv4>> ip_list_flag(const char* flag, const std::string& text) {
  std::vector<Ipv4> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto ip = ip_flag(flag, item);
    if (!ip) return fail(ip.error());
    out.push_back(*ip);
  }
  return out;
}

Result<AddressPlan> address_plan(const Options& o, Ipv4 default_netmask) {
  AddressPlan plan;
  auto dash = o.dhcp_range.find('-');
  if (o.dhcp_range.empty() || dash == std::string::npos)
    return fail("--dhcp full needs --dhcp-range FIRST-LAST (e.g. 198.18.0.100-198.18.0.199)");
  auto first = ip_flag("dhcp-range", o.dhcp_range.substr(0, dash));
  auto last = ip_flag("dhcp-range", o.dhcp_range.substr(dash + 1));
  if (!first) return fail(first.error());
  if (!last) return fail(last.error());
  if (*first > *last) return fail("--dhcp-range: " + o.dhcp_range + " ends before it starts");
  if (*last - *first >= kMaxRangeSize) return fail("--dhcp-range: " + o.dhcp_range + " is larger than a /16");
  plan.first = *first;
  plan.last = *last;
  plan.netmask = default_netmask;
  if (!o.dhcp_netmask.empty()) {
    auto m = ip_flag("dhcp-netmask", o.dhcp_netmask);
    if (!m) return fail(m.error());
    plan.netmask = *m;
  }
  if (!same_subnet(plan.first, plan.last, plan.netmask))
    return fail("--dhcp-range: " + o.dhcp_range + " spans more than one subnet of netmask " +
                ipv4_to_string(plan.netmask));
  if (!o.dhcp_reservations.empty()) {
    auto r = load_reservations(o.dhcp_reservations);
    if (!r) return fail(r.error());
    for (const auto& [mac, ip] : *r)
      if (!same_subnet(ip, plan.first, plan.netmask))
        return fail(o.dhcp_reservations.string() + ": " + ipv4_to_string(ip) + " (for " + mac.to_string() +
                    ") is outside the range's subnet");
    plan.reservations = std::move(*r);
  }
  return plan;
}

Result<void> start_full(DhcpService& svc, const Options& o, Ipv4 netmask, BootFileConfig boot,
                        pxe::BootPolicy& policy, DhcpServerConfig& server) {
  auto plan = address_plan(o, netmask);
  if (!plan) return fail(plan.error());
  FullDhcpConfig cfg;
  cfg.lease_seconds = o.dhcp_lease_seconds;
  cfg.boot = std::move(boot);
  if (!o.dhcp_router.empty()) {
    auto r = ip_list_flag("dhcp-router", o.dhcp_router);
    if (!r) return fail(r.error());
    cfg.routers = *r;
  }
  if (!o.dhcp_dns.empty()) {
    auto d = ip_list_flag("dhcp-dns", o.dhcp_dns);
    if (!d) return fail(d.error());
    cfg.dns = *d;
  }
  std::error_code ec;
  std::filesystem::create_directories(o.state_dir, ec);
  if (ec) return fail(ec, o.state_dir.string() + ": cannot create the state directory: " + ec.message());
  auto file = o.state_dir / kLeaseFileName;
  auto loaded = load_leases(file);
  if (!loaded) return fail(loaded.error());
  svc.leases = std::make_unique<LeaseTable>(std::move(*plan));
  svc.leases->load(*loaded);
  INGOT_LOG(info, "dhcp") << "full DHCP, range " << o.dhcp_range << ", " << svc.leases->bound_leases().size()
                          << " leases from " << file.string();
  svc.responder = std::make_unique<FullDhcpResponder>(std::move(cfg), *svc.leases, policy);
  LeaseTable* table = svc.leases.get();
  server.after_batch = [table, file]() -> Result<void> {
    if (!table->dirty()) return ok();
    auto r = save_leases(file, table->bound_leases());
    if (r) table->clear_dirty();
    return r;
  };
  return ok();
}

}  // namespace

Result<ServicePtr> start_dhcp(asio::io_context& io, const Options& o, pxe::BootPolicy& policy) {
  if (o.dhcp_mode == "off") return ServicePtr{};
  auto listen = ip_flag("listen", o.listen);
  if (!listen) return fail(listen.error());

  // A full DHCP server on every link at once would be a rogue server on the site network.
  if (o.dhcp_mode == "full" && o.interface.empty() && *listen == 0)
    return fail("--dhcp full needs --interface IF or --listen ADDR: it must not answer on every link");
  DhcpServerConfig server;
  server.port = o.dhcp_port;
  server.interface = o.interface;
  Ipv4 netmask = 0xffffff00;
  Ipv4 interface_ip = 0;
  if (server.interface.empty() && *listen != 0 && !is_loopback(*listen)) {
    // Broadcasts reach only a socket bound to 0.0.0.0, so find the link that holds --listen.
    if (auto found = interface_holding(*listen)) server.interface = found->name;
    else return fail("--listen " + o.listen + ": no local interface has this address");
  }
  if (!server.interface.empty()) {
    auto a = interface_address(server.interface);
    if (!a) return fail("--interface: " + a.error().message());
    interface_ip = a->address;
    netmask = a->netmask;
    server.listen = 0;
  } else {
    server.listen = *listen;  // loopback or any: relayed and unicast requests only on loopback
  }
  if (!o.advertise.empty()) {
    auto a = ip_flag("advertise", o.advertise);
    if (!a) return fail(a.error());
    server.server_id = *a;
  } else {
    server.server_id = *listen != 0 ? *listen : interface_ip;  // 0: per request, from IP_PKTINFO
  }
  BootFileConfig boot;
  boot.server = server.server_id;
  boot.http_port = o.http_port;

  auto svc = std::make_unique<DhcpService>();
  if (o.dhcp_mode == "full") {
    if (auto r = start_full(*svc, o, netmask, boot, policy, server); !r) return fail(r.error());
  } else if (o.dhcp_mode == "proxy") {
    svc->responder = std::make_unique<ProxyDhcpResponder>(boot, policy);
    server.boot_server_port = true;
  } else {
    return fail("--dhcp: '" + o.dhcp_mode + "' is not full, proxy or off");
  }
  auto s = DhcpServer::start(io, std::move(server), *svc->responder);
  if (!s) return fail(s.error());
  svc->server = std::move(*s);
  return ServicePtr(std::move(svc));
}

}  // namespace ingot::serve
