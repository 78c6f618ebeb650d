// ProxyDHCP (PXE spec 2.1 §2.2.5, §2.5): next to an existing DHCP server, answer only PXE
// clients, with no address, just the boot file and next-server. On port 67 a DISCOVER gets a
// proxy OFFER; on port 4011 a boot server REQUEST gets an ACK sent back to the client.
#pragma once

#include "pxe/boot_file_choice.h"
#include "pxe/boot_policy.h"
#include "pxe/dhcp_responder.h"

namespace ingot::pxe {

class ProxyDhcpResponder final : public DhcpResponder {
 public:
  ProxyDhcpResponder(BootFileConfig boot, BootPolicy& policy) : boot_(std::move(boot)), policy_(policy) {}

  DhcpReply respond(const DhcpRequest& request) override;

 private:
  BootFileConfig boot_;
  BootPolicy& policy_;
};

}  // namespace ingot::pxe
