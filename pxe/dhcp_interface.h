// What the DHCP server needs to know about local interfaces (getifaddrs): an interface's IPv4
// address and netmask, and which interface holds a given address, so `--listen ADDR` alone is
// enough to serve broadcasts on the right link.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "pxe/dhcp_ipv4.h"

namespace ingot::pxe {

struct InterfaceAddress {
  std::string name;
  Ipv4 address = 0;
  Ipv4 netmask = 0;
};

// The first IPv4 address on the named interface.
Result<InterfaceAddress> interface_address(const std::string& name);
// The interface that holds address, if any.
std::optional<InterfaceAddress> interface_holding(Ipv4 address);

}  // namespace ingot::pxe
