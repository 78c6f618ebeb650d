// `ingot power`: talk to BMCs directly, without the server: what operators reach for when
// racking machines (is the BMC reachable, are the credentials right, force a PXE boot). One BMC
// with --bmc, or a rack's worth with --bmc-file through the same pool the server uses.
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "common/cli.h"
#include "provisioner/power/bmc_list.h"
#include "provisioner/power/ipmi_driver.h"
#include "provisioner/power/power_service.h"

namespace ingot::power {
namespace {

constexpr const char* kUsage =
    "usage: ingot power (--bmc ipmi://USER[:PASS]@HOST[:PORT] | --bmc-file FILE [--parallel N])\n"
    "                   [--timeout SECONDS] [--tries N] [--debug-dump]\n"
    "                   status | on | off | cycle | reset | soft | bootdev pxe|disk [--persistent] [--uefi]\n"
    "The password may come from INGOT_BMC_PASSWORD instead of the URL (keeps it out of `ps`).\n"
    "--bmc-file: one ipmi:// URL per line, '#' comments; prints one line per BMC.\n";

// Upper bounds that keep a typo from hanging the command for hours or opening a session storm.
constexpr int kMaxTimeoutSeconds = 60;
constexpr int kMaxTries = 10;
constexpr int kMaxParallel = 64;
// A BMC list is a text file of URLs; 1 MiB holds far more than kMaxBmcListEntries lines.
constexpr std::size_t kMaxBmcFileBytes = 1 << 20;

// What to do to each BMC.
struct Operation {
  enum class Kind { status, power, boot } kind = Kind::status;
  PowerAction action = PowerAction::on;
  BootRequest boot;
  std::string done;  // printed on success (status prints the state instead)
};

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

std::optional<std::string> env_password() {
  const char* p = std::getenv("INGOT_BMC_PASSWORD");
  return p ? std::optional<std::string>(p) : std::nullopt;
}

Result<Operation> operation_from(const cli::Flags& f) {
  const auto& pos = f.positional();
  if (pos.empty()) return fail("missing the operation");
  Operation op;
  const std::string& word = pos[0];
  bool is_bootdev = word == "bootdev";
  if (pos.size() != (is_bootdev ? 2u : 1u)) return fail("wrong number of arguments for '" + word + "'");
  if (!is_bootdev && (f.has("persistent") || f.has("uefi"))) return fail("--persistent and --uefi only go with bootdev");
  if (word == "status") return op;
  if (is_bootdev) {
    auto dev = parse_boot_device(pos[1]);
    if (!dev) return fail(dev.error());
    op.kind = Operation::Kind::boot;
    op.boot = BootRequest{*dev, f.has("persistent"), f.has("uefi") ? FirmwareMode::uefi : FirmwareMode::bios};
    op.done = "boot device " + std::string(to_string(*dev)) + (op.boot.persistent ? " (persistent" : " (next boot") +
              (op.boot.mode == FirmwareMode::uefi ? ", UEFI)" : ", BIOS)");
    return op;
  }
  auto action = parse_power_action(word);
  if (!action) return fail(action.error());
  op.kind = Operation::Kind::power;
  op.action = *action;
  op.done = "power " + word + ": done";
  return op;
}

Result<IpmiOptions> options_from(const cli::Flags& f) {
  IpmiOptions o;
  if (auto t = f.get("timeout")) {
    int s = 0;
    if (!parse_int(*t, 1, kMaxTimeoutSeconds, s)) return fail("--timeout: '" + *t + "' is not 1-60 seconds");
    o.timeout = std::chrono::seconds(s);
  }
  if (auto t = f.get("tries"); t && !parse_int(*t, 1, kMaxTries, o.tries))
    return fail("--tries: '" + *t + "' is not 1-10");
  o.debug_dump = f.has("debug-dump");
  return o;
}

int run_one(const BmcAddress& bmc, const Operation& op, const IpmiOptions& o) {
  auto driver = make_ipmi_driver(bmc, o);
  Result<void> r = ok();
  std::string line = op.done;
  if (op.kind == Operation::Kind::status) {
    auto s = driver->status();
    if (s) line = std::string(to_string(*s));
    else r = fail(s.error());
  } else if (op.kind == Operation::Kind::boot) {
    r = driver->set_boot(op.boot);
  } else {
    r = driver->power(op.action);
  }
  if (!r) {
    std::cerr << "ingot power: " << r.error().message() << "\n";
    return 1;
  }
  std::cout << line << "\n";
  return 0;
}

// All BMCs at once through PowerService (at most `parallel` sessions); lines in file order.
int run_fleet(const std::vector<BmcAddress>& bmcs, const Operation& op, const IpmiOptions& o, int parallel) {
  asio::io_context io;
  std::vector<std::string> lines(bmcs.size());
  int failed = 0;
  {
    PowerService svc(io.get_executor(), ipmi_driver_factory(o),
                     BmcCallLimits{static_cast<std::size_t>(parallel), kDefaultMaxQueuedPerBmc});
    for (std::size_t i = 0; i < bmcs.size(); ++i) {
      auto note = [&, i](const Result<void>& r, std::string good) {
        if (r) lines[i] = std::move(good);
        else {
          lines[i] = "error: " + r.error().message();
          ++failed;
        }
      };
      if (op.kind == Operation::Kind::status)
        svc.async_status(bmcs[i], [note](Result<PowerState> s) {
          note(s ? ok() : Result<void>(fail(s.error())), s ? std::string(to_string(*s)) : "");
        });
      else if (op.kind == Operation::Kind::boot)
        svc.async_set_boot(bmcs[i], op.boot, [note, &op](Result<void> r) { note(r, op.done); });
      else
        svc.async_power(bmcs[i], op.action, [note, &op](Result<void> r) { note(r, op.done); });
    }
    io.run();
  }
  std::size_t width = 0;
  for (const auto& b : bmcs) width = std::max(width, b.endpoint().size());
  for (std::size_t i = 0; i < bmcs.size(); ++i)
    std::cout << std::left << std::setw(static_cast<int>(width)) << bmcs[i].endpoint() << "  " << lines[i] << "\n";
  return failed ? 1 : 0;
}

Result<std::vector<BmcAddress>> read_bmc_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path + ": cannot open the BMC list");
  std::string text(kMaxBmcFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxBmcFileBytes) return fail(path + ": larger than 1 MiB; not a BMC list");
  auto list = parse_bmc_list(text, path, env_password());
  if (list && list->empty()) return fail(path + ": no BMC addresses in the file");
  return list;
}

int run_power(const cli::Args& args) {
  cli::Flags f(args, {"bmc", "bmc-file", "timeout", "tries", "parallel"}, {"persistent", "uefi", "debug-dump", "help"});
  if (f.has("help")) {
    std::cout << kUsage;
    return 0;
  }
  if (!f.ok()) return usage_error(f.error());
  auto op = operation_from(f);
  if (!op) return usage_error(op.error().message());
  auto o = options_from(f);
  if (!o) return usage_error(o.error().message());
  if (f.has("bmc") == f.has("bmc-file")) return usage_error("give exactly one of --bmc and --bmc-file");

  if (auto path = f.get("bmc-file")) {
    int parallel = static_cast<int>(kDefaultMaxSessions);
    if (auto p = f.get("parallel"); p && !parse_int(*p, 1, kMaxParallel, parallel))
      return usage_error("--parallel: '" + *p + "' is not 1-64");
    auto bmcs = read_bmc_file(*path);
    if (!bmcs) return usage_error(bmcs.error().message());
    return run_fleet(*bmcs, *op, *o, parallel);
  }
  if (f.has("parallel")) return usage_error("--parallel only goes with --bmc-file");
  auto bmc = parse_bmc_address(*f.get("bmc"));
  if (!bmc) return usage_error(bmc.error().message());
  if (auto r = apply_default_password(*bmc, env_password()); !r) return usage_error(r.error().message());
  return run_one(*bmc, *op, *o);
}

INGOT_COMMAND("power", "control BMCs directly: status, on, off, cycle, reset, soft, bootdev", run_power);

}  // namespace
}  // namespace ingot::power
