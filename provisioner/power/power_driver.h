// The power-driver seam: what the provisioner asks of a machine's BMC (power state and control,
// next boot device). One driver object talks to one BMC and blocks; PowerService runs drivers
// on its workers so the network thread never waits on a BMC.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "common/result.h"
#include "provisioner/power/bmc_address.h"

namespace ingot::power {

enum class PowerState { off, on };

enum class PowerAction {
  on,
  off,    // hard off, like holding the button
  cycle,  // off then on; from off it just powers on (IPMI leaves that case to the BMC)
  reset,  // hard reset, power stays on
  soft,   // ACPI shutdown request to the OS
};

enum class BootDevice { pxe, disk };
enum class FirmwareMode { bios, uefi };

struct BootRequest {
  BootDevice device = BootDevice::pxe;
  bool persistent = false;  // false: next boot only, the BMC clears it after one boot
  FirmwareMode mode = FirmwareMode::bios;
};

std::string_view to_string(PowerState s);
std::string_view to_string(PowerAction a);
std::string_view to_string(BootDevice d);
Result<PowerAction> parse_power_action(std::string_view text);
Result<BootDevice> parse_boot_device(std::string_view text);

class PowerDriver {
 public:
  virtual ~PowerDriver() = default;
  virtual Result<PowerState> status() = 0;
  virtual Result<void> power(PowerAction action) = 0;
  virtual Result<void> set_boot(const BootRequest& request) = 0;
};

// Makes the driver for one BMC; the seam tests replace with a fake.
using PowerDriverFactory = std::function<std::unique_ptr<PowerDriver>(const BmcAddress&)>;

}  // namespace ingot::power
