#include "provisioner/power/power_driver.h"

#include <string>

namespace ingot::power {

std::string_view to_string(PowerState s) { return s == PowerState::on ? "on" : "off"; }

std::string_view to_string(PowerAction a) {
  switch (a) {
    case PowerAction::on: return "on";
    case PowerAction::off: return "off";
    case PowerAction::cycle: return "cycle";
    case PowerAction::reset: return "reset";
    case PowerAction::soft: return "soft";
  }
  return "?";
}

std::string_view to_string(BootDevice d) { return d == BootDevice::pxe ? "pxe" : "disk"; }

Result<PowerAction> parse_power_action(std::string_view t) {
  for (auto a : {PowerAction::on, PowerAction::off, PowerAction::cycle, PowerAction::reset, PowerAction::soft})
    if (t == to_string(a)) return a;
  return fail("power action '" + std::string(t) + "' is not one of on, off, cycle, reset, soft");
}

Result<BootDevice> parse_boot_device(std::string_view t) {
  if (t == "pxe") return BootDevice::pxe;
  if (t == "disk") return BootDevice::disk;
  return fail("boot device '" + std::string(t) + "' is not pxe or disk");
}

}  // namespace ingot::power
