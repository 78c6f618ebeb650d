// NICs from /sys/class/net: MAC (eDeploy's "serial"), driver, PCI ids and bus address,
// link, speed, and current IPv4/IPv6 addresses (see detect_ip.h). Interfaces without a
// "device" link (lo, bridges, bonds, veth, tun) are software, not hardware, and skipped.
#include <filesystem>
#include <string>

#include "hwmatch/detect_ip.h"
#include "hwmatch/detect_sources.h"

namespace ingot::hwmatch {
namespace {

// "0000:00:03.0": domain:bus:device.function.
bool pci_address(std::string_view s) {
  if (s.size() != 12 || s[4] != ':' || s[7] != ':' || s[10] != '.') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u, 11u})
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// The PCI function a device sits on: the device itself (e1000) or an ancestor (virtio-net's
// device is virtioN, whose parent is the PCI function).
std::optional<std::string> pci_parent(const std::string& resolved) {
  std::filesystem::path p(resolved);
  for (int up = 0; up < 4 && !p.empty(); ++up, p = p.parent_path())
    if (pci_address(p.filename().string())) return p.string();
  return std::nullopt;
}

std::string read_text(const SysfsRoot& fs, const char* rel, FactSink& out, bool* missing) {
  FileRead r = fs.read(rel, kMaxProcFile);
  *missing = r.status == ReadStatus::missing;
  if (r.ok()) return r.data;
  if (!*missing) out.invalid(rel, "unreadable or too large");
  return {};
}

}  // namespace

void detect_network(const SysfsRoot& fs, FactSink& out) {
  auto names = list_source(fs, out, "sys/class/net", "net");
  if (!names) return;
  bool no_route = false, no_trie = false, no_inet6 = false;
  std::string route = read_text(fs, "proc/net/route", out, &no_route);
  std::string trie = read_text(fs, "proc/net/fib_trie", out, &no_trie);
  std::string inet6 = read_text(fs, "proc/net/if_inet6", out, &no_inet6);
  if (no_route || no_trie) out.missing("ipv4", "proc/net/route or proc/net/fib_trie not found: no IPv4 addresses");
  // A kernel without IPv6 (ipv6.disable=1) has no if_inet6: then there are no addresses to list.
  auto v4 = ipv4_addresses(route, trie);
  auto v6 = ipv6_addresses(inet6);

  for (const auto& n : *names) {
    std::string base = "sys/class/net/" + n + "/";
    if (n == "lo" || !fs.link_target(base + "device")) continue;
    add_attribute(fs, out, base + "address", "network", n, "serial");
    if (auto drv = fs.link_target(base + "device/driver"))
      out.add("network", n, "driver", std::filesystem::path(*drv).filename().string());
    if (auto dev = fs.resolve(base + "device"))
      if (auto pci = pci_parent(*dev)) {
        out.add("network", n, "businfo", "pci@" + std::filesystem::path(*pci).filename().string());
        add_attribute(fs, out, *pci + "/vendor", "network", n, "pci-vendor");
        add_attribute(fs, out, *pci + "/device", "network", n, "pci-device");
      }
    // carrier reads fail with EINVAL while the interface is administratively down.
    auto carrier = fs.attribute(base + "carrier");
    auto oper = fs.attribute(base + "operstate");
    bool up = carrier ? *carrier == "1" : oper && *oper == "up";
    out.add("network", n, "link", up ? "yes" : "no");
    if (auto speed = fs.attribute(base + "speed"))
      if (auto mbps = parse_u64(*speed); mbps && *mbps > 0 && *mbps < 10'000'000)
        out.add("network", n, "speed", std::to_string(*mbps));
    for (const auto& a : v4) {
      if (a.iface != n) continue;
      out.add("network", n, "ipv4", a.address);
      out.add("network", n, "ipv4-netmask", a.netmask);
      out.add("network", n, "ipv4-cidr", std::to_string(a.prefix));
      out.add("network", n, "ipv4-network", a.network);
    }
    for (const auto& a : v6) {
      if (a.iface != n) continue;
      out.add("network", n, "ipv6", a.address);
      out.add("network", n, "ipv6-cidr", std::to_string(a.prefix));
      out.add("network", n, "ipv6-network", a.network);
    }
  }
}

}  // namespace ingot::hwmatch
