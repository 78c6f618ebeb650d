// PCI functions from /sys/bus/pci/devices: vendor, device, class (hex as sysfs prints
// them) and the bound driver; plus the in-band BMC probe.
#include <filesystem>
#include <string>

#include "hwmatch/detect_sources.h"

namespace ingot::hwmatch {

void detect_pci(const SysfsRoot& fs, FactSink& out) {
  auto names = list_source(fs, out, "sys/bus/pci/devices", "pci");
  if (!names) return;
  for (const auto& n : *names) {
    std::string base = "sys/bus/pci/devices/" + n + "/";
    add_attribute(fs, out, base + "vendor", "pci", n, "vendor");
    add_attribute(fs, out, base + "device", "pci", n, "device");
    add_attribute(fs, out, base + "class", "pci", n, "class");
    add_attribute(fs, out, base + "subsystem_vendor", "pci", n, "subsystem_vendor");
    add_attribute(fs, out, base + "subsystem_device", "pci", n, "subsystem_device");
    if (auto drv = fs.link_target(base + "driver"))
      out.add("pci", n, "driver", std::filesystem::path(*drv).filename().string());
  }
  out.add("pci", "devices", "count", std::to_string(names->size()));
}

// The BMC's LAN address needs an IPMI "Get LAN Configuration Parameters" exchange over
// /dev/ipmi0; ingot does not speak in-band IPMI yet, so a present device is reported as
// such rather than guessed at.
void detect_bmc(const SysfsRoot& fs, FactSink& out) {
  // The device node's name depends on the udev rules in use.
  for (const char* dev : {"dev/ipmi0", "dev/ipmi/0", "dev/ipmidev/0"}) {
    if (!fs.exists(dev)) continue;
    out.add("ipmi", "device", "path", std::string("/") + dev);
    out.missing("ipmi-lan", std::string(dev) + " present but in-band LAN queries are not implemented");
    return;
  }
  out.missing("ipmi", "no dev/ipmi0: no in-band BMC interface (ipmi_si/ipmi_devintf not loaded, or no BMC)");
}

}  // namespace ingot::hwmatch
