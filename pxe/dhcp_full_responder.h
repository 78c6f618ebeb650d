// Full DHCP (RFC 2131 §4.3): addresses from the lease table, network options, and a boot file
// for PXE/iPXE clients the boot policy wants to boot. Handles DISCOVER, REQUEST (selecting,
// init-reboot, renewing, rebinding), DECLINE, RELEASE and INFORM.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pxe/boot_file_choice.h"
#include "pxe/boot_policy.h"
#include "pxe/dhcp_lease_table.h"
#include "pxe/dhcp_responder.h"

namespace ingot::pxe {

struct FullDhcpConfig {
  std::vector<Ipv4> routers;
  std::vector<Ipv4> dns;
  std::uint32_t lease_seconds = 3600;
  // An offer holds its address this long for the REQUEST to come back (RFC 2131 §4.3.1).
  std::uint32_t offer_hold_seconds = 60;
  // A DECLINEd address (in use by someone we don't know) stays out of the pool this long.
  std::uint32_t decline_quarantine_seconds = 600;
  BootFileConfig boot;
};

class FullDhcpResponder final : public DhcpResponder {
 public:
  FullDhcpResponder(FullDhcpConfig config, LeaseTable& leases, BootPolicy& policy)
      : config_(std::move(config)), leases_(leases), policy_(policy) {}

  DhcpReply respond(const DhcpRequest& request) override;

 private:
  DhcpReply discover(const DhcpRequest& r);
  DhcpReply request(const DhcpRequest& r);
  DhcpReply inform(const DhcpRequest& r);
  DhcpReply nak(const DhcpRequest& r, const std::string& why);
  // The network options and, for a PXE client the policy boots, the boot file; appends to note.
  void add_config(DhcpPacket& reply, const DhcpRequest& r, bool with_lease, std::string& note);

  FullDhcpConfig config_;
  LeaseTable& leases_;
  BootPolicy& policy_;
};

}  // namespace ingot::pxe
