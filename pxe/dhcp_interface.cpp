#include "pxe/dhcp_interface.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <functional>

namespace ingot::pxe {
namespace {

std::optional<InterfaceAddress> find_address(const std::function<bool(const InterfaceAddress&)>& match) {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return std::nullopt;
  std::optional<InterfaceAddress> found;
  for (ifaddrs* i = list; i && !found; i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !i->ifa_name) continue;
    InterfaceAddress a;
    a.name = i->ifa_name;
    a.address = ntohl(reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr.s_addr);
    if (i->ifa_netmask) a.netmask = ntohl(reinterpret_cast<const sockaddr_in*>(i->ifa_netmask)->sin_addr.s_addr);
    if (match(a)) found = a;
  }
  ::freeifaddrs(list);
  return found;
}

}  // namespace

Result<InterfaceAddress> interface_address(const std::string& name) {
  auto a = find_address([&](const InterfaceAddress& i) { return i.name == name; });
  if (!a) return fail("interface " + name + " does not exist or has no IPv4 address");
  return *a;
}

std::optional<InterfaceAddress> interface_holding(Ipv4 address) {
  return find_address([&](const InterfaceAddress& i) { return i.address == address; });
}

}  // namespace ingot::pxe
