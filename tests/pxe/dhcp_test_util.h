// Helpers shared by the DHCP unit tests: captured packets from tests/pxe/captures and a
// request builder.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pxe/dhcp_packet.h"
#include "tests/support/test_support.h"

namespace ingot::pxe::test {

inline std::vector<std::uint8_t> capture(const std::string& name) {
  std::string dir = ingot::test::env_or("INGOT_SOURCE_DIR", ".") + "/tests/pxe/captures/";
  std::string s = ingot::test::read_file(dir + name);
  return {s.begin(), s.end()};
}

inline DhcpPacket request(DhcpMessageType type, const std::string& mac = "52:54:00:00:00:01") {
  DhcpPacket p;
  p.xid = 0x1234;
  p.set_mac(*MacAddress::parse(mac));
  p.options.set_u8(opt::message_type, static_cast<std::uint8_t>(type));
  return p;
}

inline void make_pxe(DhcpPacket& p, std::uint16_t arch, bool ipxe) {
  p.options.set(opt::vendor_class, "PXEClient:Arch:0000" + std::to_string(arch) + ":UNDI:002001");
  p.options.set_u16(opt::client_arch, arch);
  if (ipxe) p.options.set(opt::user_class, std::string_view("iPXE"));
}

// A request from a PXE client (firmware, or iPXE) of that architecture.
inline DhcpPacket pxe_request(DhcpMessageType type, std::uint16_t arch, bool ipxe) {
  DhcpPacket p = request(type);
  make_pxe(p, arch, ipxe);
  return p;
}

}  // namespace ingot::pxe::test
