// recover_upgrade (upgrade_engine.h): settles whatever the journal says was interrupted.
#include "common/log.h"
#include "provisioner/agent/image_state.h"
#include "provisioner/agent/upgrade_drift.h"
#include "provisioner/agent/upgrade_engine.h"
#include "provisioner/agent/upgrade_journal.h"
#include "imagebuilder/upgrade_plan.h"
#include "provisioner/agent/upgrade_rollback.h"

namespace ingot::agent {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

UpgradeOutcome outcome(const UpgradeJournal& j, std::string status, std::string message) {
  UpgradeOutcome o;
  o.status = std::move(status);
  o.from = j.from;
  o.to = j.to;
  o.message = std::move(message);
  return o;
}

// Records the outcome for the server: the loop delivers it when it next reaches the server.
Result<void> settle(const UpgradeArea& area, UpgradeJournal& j, const char* state, const UpgradeOutcome& o) {
  j.state = state;
  j.message = o.message;
  j.pending_report = {{"status", o.status}, {"from", o.from}, {"to", o.to}, {"rollout", j.rollout},
                      {"message", o.message}, {"data", o.data}};
  return area.save(j);
}

Result<image::KeepList> protect_for(const fs::path& root, const image::SignedManifest& from, const image::SignedManifest& to) {
  auto node_config = read_node_config_list(root);
  if (!node_config) return fail(node_config.error());
  return image::protected_paths(from.manifest, to.manifest, *node_config);
}

Result<std::optional<UpgradeOutcome>> finish_commit(const fs::path& root, const UpgradeArea& area, UpgradeJournal& j) {
  if (!j.image_state_installed) {
    auto to = read_image_state(area.target());
    if (!to) return fail("recover: the committed upgrade's target manifest: " + to.error().message());
    if (auto w = write_image_state(root / kImageStateDir, *to); !w) return fail(w.error());
    j.image_state_installed = true;
    if (auto r = area.save(j); !r) return fail(r.error());
  }
  if (auto r = area.clear_work(); !r) return fail(r.error());
  if (j.state == upgrade_state::committed) return std::optional<UpgradeOutcome>(outcome(j, "done", j.from + " -> " + j.to));
  // After the reboot: the root must be n+1.
  auto to = read_image_state(root / kImageStateDir);
  if (!to) return fail(to.error());
  auto protect = protect_for(root, *to, *to);
  if (!protect) return fail(protect.error());
  auto found = find_upgrade_drift(to->manifest, root, *protect);
  if (!found) return fail(found.error());
  const auto& drift = *found;
  UpgradeOutcome o = drift.empty() ? outcome(j, "done", j.from + " -> " + j.to + " after the reboot")
                                   : outcome(j, "failed", std::to_string(drift.size()) + " path(s) differ from " + j.to +
                                                              " after the reboot (first: " + drift[0] + ")");
  o.reboot = true;
  o.data = {{"reboot", true}};
  if (auto r = settle(area, j, drift.empty() ? upgrade_state::committed : upgrade_state::failed, o); !r) return fail(r.error());
  return std::optional<UpgradeOutcome>(o);
}

}  // namespace

Result<std::optional<UpgradeOutcome>> recover_upgrade(const fs::path& root) {
  UpgradeArea area(root);
  auto loaded = area.load();
  if (!loaded) return fail(loaded.error());
  if (!*loaded) return std::optional<UpgradeOutcome>{};
  UpgradeJournal j = **loaded;
  const std::string& s = j.state;
  if (s == upgrade_state::staging) {
    // The root was never touched: the staged objects are dropped (a retry fetches them again).
    if (auto r = area.clear_work(); !r) return fail(r.error());
    auto o = outcome(j, "failed", "interrupted while staging " + j.to + "; nothing was switched");
    if (auto r = settle(area, j, upgrade_state::failed, o); !r) return fail(r.error());
    return std::optional<UpgradeOutcome>(o);
  }
  if (s == upgrade_state::switching || s == upgrade_state::switched) {
    auto from = read_image_state(root / kImageStateDir);
    if (!from) return fail("recover: the node's manifest: " + from.error().message());
    auto to = read_image_state(area.target());
    if (!to) return fail("recover: the interrupted upgrade's target manifest: " + to.error().message());
    auto protect = protect_for(root, *from, *to);
    if (!protect) return fail(protect.error());
    INGOT_LOG(warn, "upgrade") << "an upgrade " << j.from << " -> " << j.to << " was interrupted (" << s
                               << "): rolling back to " << j.from;
    RollbackInput in{&from->manifest, &to->manifest, j.drifted, &*protect, root};
    if (auto r = roll_back(in, area); !r) return fail(r.error());
    if (auto r = area.clear_work(); !r) return fail(r.error());
    auto o = outcome(j, "rolled_back", "interrupted while " + s + "; rolled back to " + j.from);
    if (auto r = settle(area, j, upgrade_state::rolled_back, o); !r) return fail(r.error());
    return std::optional<UpgradeOutcome>(o);
  }
  if (s == upgrade_state::committed && j.image_state_installed) {
    if (auto r = area.clear_work(); !r) return fail(r.error());  // a cut after the commit
    return std::optional<UpgradeOutcome>{};
  }
  if (s == upgrade_state::committed || s == upgrade_state::reboot_pending) return finish_commit(root, area, j);
  return std::optional<UpgradeOutcome>{};  // rolled_back, failed: settled earlier
}

}  // namespace ingot::agent
