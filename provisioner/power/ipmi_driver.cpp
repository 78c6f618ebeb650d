#include "provisioner/power/ipmi_driver.h"

#include <freeipmi/freeipmi.h>

#include <cstdio>
#include <string>
#include <utility>

#include "common/log.h"
#include "provisioner/power/power_error.h"

namespace ingot::power {
namespace {

// One FreeIPMI context: created, opened as an RMCP+ session, closed and destroyed on scope exit.
class IpmiCtx {
 public:
  IpmiCtx() : ctx_(ipmi_ctx_create()) {}
  ~IpmiCtx() {
    if (!ctx_) return;
    if (open_) ipmi_ctx_close(ctx_);
    ipmi_ctx_destroy(ctx_);
  }
  IpmiCtx(const IpmiCtx&) = delete;
  IpmiCtx& operator=(const IpmiCtx&) = delete;

  explicit operator bool() const { return ctx_ != nullptr; }
  ipmi_ctx_t get() const { return ctx_; }
  int errnum() const { return ipmi_ctx_errnum(ctx_); }
  std::string message() const {
    const char* m = ipmi_ctx_errormsg(ctx_);
    return m ? m : "unknown FreeIPMI error";
  }

  bool open(const BmcAddress& bmc, const IpmiOptions& o) {
    // ipmi_sim (OpenIPMI 2.0.33) and several vendor BMCs reject the privilege level in RMCP+
    // Open Session unless it is sent the way this workaround does (FreeIPMI's `-W opensesspriv`).
    unsigned int workarounds = IPMI_WORKAROUND_FLAGS_OUTOFBAND_2_0_OPEN_SESSION_PRIVILEGE;
    unsigned int flags = o.debug_dump ? IPMI_FLAGS_DEBUG_DUMP : IPMI_FLAGS_DEFAULT;
    std::string endpoint = bmc.endpoint();
    open_ = ipmi_ctx_open_outofband_2_0(ctx_, endpoint.c_str(), bmc.user.c_str(), bmc.password.c_str(), nullptr,
                                        0, IPMI_PRIVILEGE_LEVEL_ADMIN, o.cipher_suite,
                                        static_cast<unsigned int>(o.timeout.count()),
                                        static_cast<unsigned int>(o.retransmit.count()), workarounds, flags) == 0;
    return open_;
  }

 private:
  ipmi_ctx_t ctx_;
  bool open_ = false;
};

// One FreeIPMI response object (fiid), destroyed on scope exit.
class FiidObj {
 public:
  explicit FiidObj(fiid_template_t tmpl) : obj_(fiid_obj_create(tmpl)) {}
  ~FiidObj() {
    if (obj_) fiid_obj_destroy(obj_);
  }
  FiidObj(const FiidObj&) = delete;
  FiidObj& operator=(const FiidObj&) = delete;

  explicit operator bool() const { return obj_ != nullptr; }
  fiid_obj_t get() const { return obj_; }
  bool field(const char* name, std::uint64_t& out) const { return fiid_obj_get(obj_, name, &out) == 1; }

 private:
  fiid_obj_t obj_;
};

bool no_answer(int e) { return e == IPMI_ERR_SESSION_TIMEOUT || e == IPMI_ERR_CONNECTION_TIMEOUT; }
bool worth_retrying(int e) { return no_answer(e) || e == IPMI_ERR_BMC_BUSY; }

std::string tries(int n) { return std::to_string(n) + (n == 1 ? " try" : " tries"); }

std::string seconds(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + " s";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

// Whether a failed command may be sent again on a fresh session: only when doing it twice does
// no harm (a second hard reset or power cycle would hit the machine twice).
enum class Repeat { safe, unsafe };

class IpmiDriver : public PowerDriver {
 public:
  IpmiDriver(BmcAddress bmc, IpmiOptions o) : bmc_(std::move(bmc)), o_(o) {
    if (o_.tries < 1) o_.tries = 1;
  }

  Result<PowerState> status() override {
    FiidObj rs(tmpl_cmd_get_chassis_status_rs);
    auto r = run("get chassis status", Repeat::safe, rs,
                 [&](ipmi_ctx_t c) { return ipmi_cmd_get_chassis_status(c, rs.get()); });
    if (!r) return fail(r.error());
    std::uint64_t on = 0;
    if (!rs.field("current_power_state.power_is_on", on))
      return fail(PowerErrc::bmc_error, prefix() + "chassis status answer lacks the power state");
    return on ? PowerState::on : PowerState::off;
  }

  Result<void> power(PowerAction a) override {
    if (a == PowerAction::cycle) {
      // IPMI leaves "power cycle while off" to the BMC (many refuse, some ignore it); an
      // operator asking for a cycle wants the machine to come up either way.
      auto s = status();
      if (!s) return fail(s.error());
      if (*s == PowerState::off) return control(PowerAction::on);
    }
    return control(a);
  }

  Result<void> set_boot(const BootRequest& b) override {
    FiidObj rs(tmpl_cmd_set_system_boot_options_rs);
    std::uint8_t type = b.mode == FirmwareMode::uefi ? IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_TYPE_EFI
                                                     : IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_TYPE_PC_COMPATIBLE;
    std::uint8_t persist = b.persistent ? IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_VALID_PERSISTENTLY
                                        : IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_VALID_FOR_NEXT_BOOT;
    std::uint8_t device = b.device == BootDevice::pxe ? IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_DEVICE_FORCE_PXE
                                                      : IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_DEVICE_FORCE_HARD_DRIVE;
    return run("set boot device", Repeat::safe, rs, [&](ipmi_ctx_t c) {
      return ipmi_cmd_set_system_boot_options_boot_flags(
          c, IPMI_SYSTEM_BOOT_OPTIONS_PARAMETER_VALID_UNLOCKED, type, persist, IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_VALID,
          0 /* reset button */, 0 /* screen blank */, device, 0 /* keyboard */, 0 /* CMOS clear */,
          IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_CONSOLE_REDIRECTION_DEFAULT, 0 /* sleep button */, 0 /* password bypass */,
          0 /* progress traps */, IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_FIRMWARE_BIOS_VERBOSITY_DEFAULT,
          0 /* power button */, IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAGS_SET_MUX_TO_RECOMENDED_AT_END_OF_POST,
          0 /* shared mode */, 0 /* device instance */, rs.get());
    });
  }

 private:
  Result<void> control(PowerAction a) {
    std::uint8_t code = IPMI_CHASSIS_CONTROL_POWER_UP;
    Repeat repeat = Repeat::safe;
    switch (a) {
      case PowerAction::on: code = IPMI_CHASSIS_CONTROL_POWER_UP; break;
      case PowerAction::off: code = IPMI_CHASSIS_CONTROL_POWER_DOWN; break;
      case PowerAction::cycle: code = IPMI_CHASSIS_CONTROL_POWER_CYCLE; repeat = Repeat::unsafe; break;
      case PowerAction::reset: code = IPMI_CHASSIS_CONTROL_HARD_RESET; repeat = Repeat::unsafe; break;
      case PowerAction::soft: code = IPMI_CHASSIS_CONTROL_INITIATE_SOFT_SHUTDOWN; break;
    }
    FiidObj rs(tmpl_cmd_chassis_control_rs);
    std::string what = "chassis control (power " + std::string(to_string(a)) + ")";
    return run(what, repeat, rs, [&](ipmi_ctx_t c) { return ipmi_cmd_chassis_control(c, code, rs.get()); });
  }

  std::string prefix() const { return "BMC " + bmc_.endpoint() + ": "; }

  // Opens a session and sends one command, retrying on a fresh session while the BMC stays
  // silent or busy, up to o_.tries. `send` returns FreeIPMI's rc (< 0: failed).
  template <typename Send>
  Result<void> run(const std::string& what, Repeat repeat, const FiidObj& rs, Send&& send) {
    if (!rs) return fail(PowerErrc::internal, prefix() + "out of memory for the " + what + " answer");
    for (int attempt = 1;; ++attempt) {
      IpmiCtx ctx;
      if (!ctx) return fail(PowerErrc::internal, prefix() + "cannot create a FreeIPMI context");
      bool last = attempt >= o_.tries;
      if (!ctx.open(bmc_, o_)) {
        int e = ctx.errnum();
        if (worth_retrying(e) && !last) continue;
        return open_error(ctx, e, attempt);
      }
      if (send(ctx.get()) >= 0) return ok();
      int e = ctx.errnum();
      if (worth_retrying(e) && repeat == Repeat::safe && !last) continue;
      if (worth_retrying(e) && repeat == Repeat::unsafe)
        return fail(PowerErrc::unreachable, prefix() + "no answer to " + what +
                                                "; not resent, since the BMC may have done it (check the power status)");
      return command_error(ctx, e, what, rs, attempt);
    }
  }

  Unexpected open_error(const IpmiCtx& ctx, int e, int attempts) const {
    const std::string p = prefix();
    switch (e) {
      case IPMI_ERR_SESSION_TIMEOUT:
      case IPMI_ERR_CONNECTION_TIMEOUT:
        return fail(PowerErrc::unreachable, p + "no answer after " + tries(attempts) + " (timeout " +
                                                seconds(o_.timeout) + ")");
      case IPMI_ERR_USERNAME_INVALID:
        return fail(PowerErrc::auth_failed,
                    p + "authentication failed (wrong user or password): the BMC does not know user '" + bmc_.user + "'");
      case IPMI_ERR_PASSWORD_INVALID:
      case IPMI_ERR_K_G_INVALID:
        return fail(PowerErrc::auth_failed,
                    p + "authentication failed (wrong user or password): password rejected for user '" + bmc_.user + "'");
      case IPMI_ERR_PRIVILEGE_LEVEL_INSUFFICIENT:
      case IPMI_ERR_PRIVILEGE_LEVEL_CANNOT_BE_OBTAINED:
        return fail(PowerErrc::no_privilege,
                    p + "user '" + bmc_.user + "' cannot get ADMINISTRATOR privilege, which power control needs");
      case IPMI_ERR_CIPHER_SUITE_ID_UNAVAILABLE:
      case IPMI_ERR_AUTHENTICATION_TYPE_UNAVAILABLE:
        return fail(PowerErrc::unsupported,
                    p + "the BMC does not offer cipher suite " + std::to_string(o_.cipher_suite) + " for RMCP+");
      case IPMI_ERR_IPMI_2_0_UNAVAILABLE:
        return fail(PowerErrc::unsupported, p + "the BMC does not speak IPMI 2.0 (lanplus); enable it in its LAN settings");
      case IPMI_ERR_HOSTNAME_INVALID:
        return fail(PowerErrc::unreachable, p + "cannot resolve host '" + bmc_.host + "'");
      case IPMI_ERR_BMC_BUSY:
        return fail(PowerErrc::busy, p + "BMC busy after " + tries(attempts));
      default:
        return fail(PowerErrc::internal, p + "cannot open an RMCP+ session: " + ctx.message());
    }
  }

  Unexpected command_error(const IpmiCtx& ctx, int e, const std::string& what, const FiidObj& rs, int attempts) const {
    const std::string p = prefix();
    if (no_answer(e))
      return fail(PowerErrc::unreachable, p + "no answer to " + what + " after " + tries(attempts) + " (timeout " +
                                              seconds(o_.timeout) + ")");
    if (e == IPMI_ERR_COMMAND_INVALID_OR_UNSUPPORTED)
      return fail(PowerErrc::unsupported, p + what + " is not supported by this BMC");
    if (e == IPMI_ERR_PRIVILEGE_LEVEL_INSUFFICIENT)
      return fail(PowerErrc::no_privilege, p + "user '" + bmc_.user + "' may not send " + what);
    if (e == IPMI_ERR_BAD_COMPLETION_CODE) {
      std::uint64_t cc = 0;
      char hex[8] = "?";
      if (rs.field("comp_code", cc)) std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(cc));
      return fail(PowerErrc::bmc_error, p + what + " refused by the BMC (completion code " + hex + ")");
    }
    if (e == IPMI_ERR_BMC_BUSY) return fail(PowerErrc::busy, p + "BMC busy after " + tries(attempts));
    return fail(PowerErrc::internal, p + what + " failed: " + ctx.message());
  }

  BmcAddress bmc_;
  IpmiOptions o_;
};

}  // namespace

std::unique_ptr<PowerDriver> make_ipmi_driver(BmcAddress bmc, IpmiOptions options) {
  return std::make_unique<IpmiDriver>(std::move(bmc), options);
}

PowerDriverFactory ipmi_driver_factory(IpmiOptions options) {
  return [options](const BmcAddress& bmc) { return make_ipmi_driver(bmc, options); };
}

}  // namespace ingot::power
