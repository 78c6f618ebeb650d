// Provisioner, power: the operator's power actions, the PXE power-on of a deploy and the boot
// from disk after it. These run as coroutines over the BMC call pool; nobody waits on the last
// two, so what they cannot record is logged.
#include "common/log.h"
#include "provisioner/server/provisioner.h"

namespace ingot::server {
using inventory::Node;
using nlohmann::json;

Result<power::BmcAddress> Provisioner::bmc_of(const Node& n) {
  if (!n.bmc) return refuse(ServerError::conflict, "node " + n.name + " has no BMC: power it on by hand (it will PXE-boot)");
  auto addr = power::parse_bmc_address(*n.bmc);
  if (!addr) return fail(addr.error());
  auto pw = inv_.bmc_password(n.id);
  if (!pw) return fail(pw.error());
  if (pw->has_value()) {
    addr->password = **pw;
    addr->has_password = true;
  }
  return addr;
}

asio::awaitable<Result<void>> Provisioner::pxe_power_on(std::int64_t id) {
  auto n = inv_.get(id);
  if (!n) co_return fail(n.error());
  if (!*n) co_return fail("node vanished");
  auto bmc = bmc_of(**n);
  if (!bmc) co_return fail(bmc.error());
  power::BootRequest boot{power::BootDevice::pxe, false, power::FirmwareMode::bios};
  auto set = co_await power_->async_set_boot(*bmc, boot, asio::use_awaitable);
  if (!set) co_return fail(set.error());
  auto state = co_await power_->async_status(*bmc, asio::use_awaitable);
  if (!state) co_return fail(state.error());
  auto action = *state == power::PowerState::on ? power::PowerAction::cycle : power::PowerAction::on;
  auto done = co_await power_->async_power(*bmc, action, asio::use_awaitable);
  if (!done) co_return fail(done.error());
  note(id, "power", "log", std::string("boot device pxe (next boot), power ") + std::string(power::to_string(action)));
  co_return ok();
}

asio::awaitable<void> Provisioner::boot_from_disk(std::int64_t id) {
  auto n = inv_.get(id);
  if (!n || !n->has_value()) co_return;
  auto bmc = bmc_of(**n);
  if (!bmc) co_return;  // no BMC: the agent reboots the machine itself
  asio::steady_timer timer(io_);
  // The agent powers the machine off once its report is in; wait for that (bounded).
  bool off = false;
  for (int i = 0; i < 120 && !off; ++i) {
    auto st = co_await power_->async_status(*bmc, asio::use_awaitable);
    if (st && *st == power::PowerState::off) {
      off = true;
      break;
    }
    timer.expires_after(std::chrono::seconds(1));
    co_await timer.async_wait(asio::use_awaitable);
  }
  if (!off) {
    auto r = co_await power_->async_power(*bmc, power::PowerAction::off, asio::use_awaitable);
    if (!r) {
      fail_node_logged(**n, "reboot", "could not power off after deploy: " + r.error().message());
      co_return;
    }
  }
  power::BootRequest boot{power::BootDevice::disk, true, power::FirmwareMode::bios};
  // No co_await inside a conditional expression: GCC 12 miscompiles the temporaries.
  auto set = co_await power_->async_set_boot(*bmc, boot, asio::use_awaitable);
  if (!set) {
    fail_node_logged(**n, "reboot", "could not set boot device disk: " + set.error().message());
    co_return;
  }
  auto on = co_await power_->async_power(*bmc, power::PowerAction::on, asio::use_awaitable);
  if (!on) {
    fail_node_logged(**n, "reboot", "could not power on from disk: " + on.error().message());
    co_return;
  }
  note(id, "reboot", "log", "boot device disk (persistent), power on");
}

asio::awaitable<Result<json>> Provisioner::power(std::string name, std::string action) {
  auto found = node(name);
  if (!found) co_return fail(found.error());
  Node n = *found;
  auto bmc = bmc_of(n);
  if (!bmc) co_return fail(bmc.error());
  if (action == "status") {
    auto st = co_await power_->async_status(*bmc, asio::use_awaitable);
    if (!st) co_return refuse(ServerError::bmc_failed, st.error().message());
    co_return json{{"node", name}, {"power", std::string(power::to_string(*st))}};
  }
  auto act = power::parse_power_action(action);
  if (!act) co_return refuse(ServerError::bad_request, act.error().message());
  auto r = co_await power_->async_power(*bmc, *act, asio::use_awaitable);
  if (!r) {
    note(n.id, "power", "error", "power " + action + ": " + r.error().message());
    co_return refuse(ServerError::bmc_failed, r.error().message());
  }
  note(n.id, "power", "log", "power " + action);
  co_return json{{"node", name}, {"power", action}, {"ok", true}};
}

}  // namespace ingot::server
