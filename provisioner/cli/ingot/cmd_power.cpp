// `ingot power`: talk to one BMC directly, without the server: what operators reach for when
// racking machines (is the BMC reachable, are the credentials right, force a PXE boot).
#include <cstdlib>
#include <iostream>

#include "common/cli.h"
#include "provisioner/power/bmc_address.h"
#include "provisioner/power/ipmi_driver.h"

namespace ingot::power {
namespace {

constexpr const char* kUsage =
    "usage: ingot power --bmc ipmi://USER[:PASS]@HOST[:PORT] [--timeout SECONDS] [--tries N] [--debug-dump]\n"
    "                   status | on | off | cycle | reset | soft | bootdev pxe|disk [--persistent] [--uefi]\n"
    "The password may come from INGOT_BMC_PASSWORD instead of the URL (keeps it out of `ps`).\n";

// Upper bounds that keep a typo from hanging the command for hours.
constexpr int kMaxTimeoutSeconds = 60;
constexpr int kMaxTries = 10;

int usage_error(const std::string& msg) {
  std::cerr << "ingot power: " << msg << "\n" << kUsage;
  return 2;
}

bool parse_int(const std::string& s, int lo, int hi, int& out) {
  try {
    std::size_t used = 0;
    int v = std::stoi(s, &used);
    if (used != s.size() || v < lo || v > hi) return false;
    out = v;
    return true;
  } catch (...) {
    return false;
  }
}

Result<BmcAddress> bmc_from(const cli::Flags& f) {
  auto url = f.get("bmc");
  if (!url) return fail("--bmc is required");
  auto bmc = parse_bmc_address(*url);
  if (!bmc) return bmc;
  if (!bmc->has_password) {
    const char* env = std::getenv("INGOT_BMC_PASSWORD");
    if (!env) return fail("no BMC password: put it in the URL (USER:PASS@) or in INGOT_BMC_PASSWORD");
    if (std::string(env).size() > kMaxBmcPasswordLength)
      return fail("INGOT_BMC_PASSWORD is longer than 20 bytes (the IPMI 2.0 limit)");
    bmc->password = env;
    bmc->has_password = true;
  }
  return bmc;
}

int report(const Result<void>& r, const std::string& done) {
  if (!r) {
    std::cerr << "ingot power: " << r.error().message() << "\n";
    return 1;
  }
  std::cout << done << "\n";
  return 0;
}

int run_power(const cli::Args& args) {
  cli::Flags f(args, {"bmc", "timeout", "tries"}, {"persistent", "uefi", "debug-dump", "help"});
  if (f.has("help")) {
    std::cout << kUsage;
    return 0;
  }
  if (!f.ok()) return usage_error(f.error());
  const auto& pos = f.positional();
  if (pos.empty()) return usage_error("missing the operation");
  IpmiOptions o;
  if (auto t = f.get("timeout")) {
    int s = 0;
    if (!parse_int(*t, 1, kMaxTimeoutSeconds, s)) return usage_error("--timeout: '" + *t + "' is not 1-60 seconds");
    o.timeout = std::chrono::seconds(s);
  }
  if (auto t = f.get("tries")) {
    if (!parse_int(*t, 1, kMaxTries, o.tries)) return usage_error("--tries: '" + *t + "' is not 1-10");
  }
  o.debug_dump = f.has("debug-dump");
  const std::string& op = pos[0];
  bool is_bootdev = op == "bootdev";
  if (pos.size() != (is_bootdev ? 2u : 1u)) return usage_error("wrong number of arguments for '" + op + "'");
  if (!is_bootdev && (f.has("persistent") || f.has("uefi")))
    return usage_error("--persistent and --uefi only go with bootdev");
  auto bmc = bmc_from(f);
  if (!bmc) return usage_error(bmc.error().message());
  auto driver = make_ipmi_driver(*bmc, o);

  if (op == "status") {
    auto s = driver->status();
    if (!s) return report(fail(s.error()), "");
    std::cout << to_string(*s) << "\n";
    return 0;
  }
  if (is_bootdev) {
    auto dev = parse_boot_device(pos[1]);
    if (!dev) return usage_error(dev.error().message());
    BootRequest req{*dev, f.has("persistent"), f.has("uefi") ? FirmwareMode::uefi : FirmwareMode::bios};
    return report(driver->set_boot(req), "boot device " + std::string(to_string(*dev)) +
                                             (req.persistent ? " (persistent" : " (next boot") +
                                             (req.mode == FirmwareMode::uefi ? ", UEFI)" : ", BIOS)"));
  }
  auto action = parse_power_action(op);
  if (!action) return usage_error(action.error().message());
  return report(driver->power(*action), "power " + op + ": done");
}

INGOT_COMMAND("power", "control one BMC directly: status, on, off, cycle, reset, soft, bootdev", run_power);

}  // namespace
}  // namespace ingot::power
