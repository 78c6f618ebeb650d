#include "provisioner/agent/upgrade_engine.h"

#include <chrono>

#include "common/log.h"
#include "imagebuilder/file_io.h"
#include "provisioner/agent/image_state.h"
#include "provisioner/agent/upgrade_drift.h"
#include "provisioner/agent/upgrade_hooks.h"
#include "provisioner/agent/upgrade_journal.h"
#include "imagebuilder/upgrade_plan.h"
#include "provisioner/agent/upgrade_rollback.h"
#include "provisioner/agent/upgrade_stage.h"
#include "provisioner/agent/upgrade_switch.h"

namespace ingot::agent {
namespace fs = std::filesystem;
using image::Entry;
using nlohmann::json;

namespace {

// Where n+1's content of a file is before the switch: staged, or unchanged in the root.
std::optional<fs::path> staged_content(const Entry& e, const image::Manifest& from, const fs::path& root,
                                       const UpgradeArea& area, const std::vector<std::string>& drifted) {
  fs::path staged = area.objects() / e.sha256.hex();
  if (fs::exists(staged)) return staged;
  const Entry* old = from.find(e.path);
  const Entry* inode = old ? from.resolve(*old) : nullptr;
  bool clean = std::find(drifted.begin(), drifted.end(), e.path) == drifted.end();
  if (inode && inode->type == image::EntryType::file && inode->sha256 == e.sha256 && clean) return root / e.path;
  return std::nullopt;
}

// n+1's upgrade.json: from the root when unchanged, else fetched (it is small).
Result<image::UpgradePolicy> target_policy(const image::Manifest& from, const image::Manifest& to, const fs::path& root,
                                    image::ImageSource& source, const std::vector<std::string>& drifted) {
  const Entry* e = to.find(image::kUpgradePolicyPath);
  if (e) e = to.resolve(*e);
  if (!e || e->type != image::EntryType::file) return image::UpgradePolicy{};
  if (e->size > image::kMaxUpgradePolicyBytes) return fail(std::string("/") + image::kUpgradePolicyPath + ": too large");
  std::string text;
  const Entry* old = from.find(image::kUpgradePolicyPath);
  if (old && from.resolve(*old) && from.resolve(*old)->sha256 == e->sha256 &&
      std::find(drifted.begin(), drifted.end(), image::kUpgradePolicyPath) == drifted.end()) {
    auto t = image::read_file_limited(root / image::kUpgradePolicyPath, image::kMaxUpgradePolicyBytes);
    if (!t) return fail(t.error());
    text = *t;
  } else {
    auto r = source.fetch(*e, [&](std::span<const std::uint8_t> d) -> Result<void> {
      text.append(reinterpret_cast<const char*>(d.data()), d.size());
      return ok();
    });
    if (!r) return fail(r.error());
  }
  return image::parse_upgrade_policy(text);
}

std::string version_of(const std::string& ref) { return ref.substr(ref.find('@') + 1); }

class Upgrade {
 public:
  Upgrade(const UpgradeRequest& req, image::ImageSource& src, CommandRunner& runner, const UpgradeReporter& report)
      : req_(req), src_(src), runner_(runner), report_(report), area_(req.root) {}

  Result<UpgradeOutcome> run() {
    t0_ = std::chrono::steady_clock::now();
    auto current = read_image_state(req_.root / kImageStateDir);
    if (!current) return fail("this node has no verified image state: " + current.error().message());
    from_ = std::move(*current);
    out_.from = from_.ref;
    out_.to = req_.target;
    auto target = image::fetch_signed(src_, req_.target, from_.key_pem);
    if (!target) return failed("refused " + req_.target + ": " + target.error().message());
    to_ = std::move(*target);
    out_.to = to_.ref;
    if (!req_.dry_run) report_("started", "upgrade " + from_.ref + " -> " + to_.ref, json::object());
    auto node_config = read_node_config_list(req_.root);
    if (!node_config) return failed(node_config.error().message());
    protect_ = image::protected_paths(from_.manifest, to_.manifest, *node_config);

    auto found = find_upgrade_drift(from_.manifest, req_.root, protect_);
    if (!found) return failed(found.error().message());
    const auto& drift = *found;
    if (!drift.empty()) {
      json paths = json::array();
      for (std::size_t i = 0; i < drift.size() && i < kMaxDriftPathsReported; ++i) paths.push_back(drift[i]);
      std::string what = std::to_string(drift.size()) + " path(s) differ from " + from_.ref + " (first: " + drift[0] + ")";
      report_("drift", what, {{"paths", paths}, {"count", drift.size()}});
      out_.data["drift"] = {{"paths", paths}, {"count", drift.size()}};
      if (req_.drift == DriftPolicy::stop) return failed("drift: " + what + "; nothing touched (drift policy: stop)");
      drifted_ = drift;
    }
    auto policy = target_policy(from_.manifest, to_.manifest, req_.root, src_, drifted_);
    if (!policy) return failed(to_.ref + ": " + policy.error().message());
    policy_ = *policy;
    plan_ = image::make_plan(from_.manifest, to_.manifest, drifted_, protect_, policy_);
    out_.reboot = plan_.reboot;
    out_.data.update(plan_summary());
    if (req_.dry_run) {
      out_.status = "dry-run";
      return out_;
    }
    return stage_and_switch();
  }

 private:
  json plan_summary() const {
    return {{"added", plan_.added.size()},     {"changed", plan_.changed.size()}, {"metadata", plan_.meta.size()},
            {"removed", plan_.removed.size()}, {"bytes", plan_.bytes},            {"reboot", plan_.reboot},
            {"files", plan_.files()}};
  }

  UpgradeOutcome failed(const std::string& message) {
    INGOT_LOG(error, "upgrade") << message;
    out_.status = "failed";
    out_.message = message;
    if (!req_.dry_run) report_("failed", message, out_.data);
    return out_;
  }

  Result<void> journal(const char* state, const std::string& message = {}) {
    journal_.state = state;
    journal_.from = from_.ref;
    journal_.to = to_.ref;
    journal_.rollout = req_.rollout;
    journal_.drifted = drifted_;
    journal_.message = message;
    return area_.save(journal_);
  }

  // Before the switch: nothing on the root changed, so failing is just dropping the work.
  UpgradeOutcome drop(const std::string& message) {
    (void)area_.clear_work();
    (void)journal(upgrade_state::failed, message);
    return failed(message);
  }

  UpgradeOutcome roll_back_after(const std::string& why) {
    INGOT_LOG(error, "upgrade") << why << "; rolling back to " << from_.ref;
    RollbackInput in{&from_.manifest, &to_.manifest, drifted_, &protect_, req_.root};
    auto r = roll_back(in, area_);
    if (!r) {
      // The journal still says switching: the next start retries the rollback.
      out_.status = "failed";
      out_.message = why + "; rollback failed too: " + r.error().message();
      report_("failed", out_.message, out_.data);
      return out_;
    }
    (void)area_.clear_work();
    (void)journal(upgrade_state::rolled_back, why);
    out_.status = "rolled_back";
    out_.message = why + "; rolled back to " + from_.ref;
    report_("rolled_back", out_.message, out_.data);
    return out_;
  }

  HookEnv hook_env() const { return {version_of(from_.ref), version_of(to_.ref), req_.root, plan_.reboot}; }

  Result<void> pre_hook() {
    if (policy_.pre.empty()) return ok();
    const Entry* e = to_.manifest.find(policy_.pre.substr(1));
    if (e) e = to_.manifest.resolve(*e);
    if (!e || e->type != image::EntryType::file) return fail("the pre hook " + policy_.pre + " is not a file of " + to_.ref);
    auto content = staged_content(*e, from_.manifest, req_.root, area_, drifted_);
    if (!content) return fail("the pre hook " + policy_.pre + " was not staged");
    std::error_code ec;
    fs::create_directories(area_.hooks(), ec);
    fs::path hook = area_.hooks() / "pre";
    fs::copy_file(*content, hook, fs::copy_options::overwrite_existing, ec);
    if (ec) return fail(ec, "cannot copy the pre hook to " + hook.string());
    fs::permissions(hook, fs::perms::owner_all, ec);
    // Run from the staged content; inside the root it is under /var/lib/ingot/upgrade/hooks.
    std::string inside = "/" + hook.lexically_relative(req_.root).string();
    auto r = run_hook(runner_, "pre", inside, hook_env());
    if (!r) return fail(r.error());
    return ok();
  }

  Result<UpgradeOutcome> stage_and_switch() {
    if (auto r = journal(upgrade_state::staging); !r) return fail(r.error());
    if (auto w = write_image_state(area_.target(), to_); !w) return drop("cannot keep the target manifest: " + w.error().message());
    std::vector<Entry> objects = plan_.objects;
    objects.insert(objects.end(), plan_.rollback_objects.begin(), plan_.rollback_objects.end());
    StageInput in{&objects, &from_.manifest, &drifted_, &protect_, req_.root, req_.more_sources};
    auto staged = stage_objects(in, src_, area_);
    if (!staged) return drop("staging " + to_.ref + " failed, nothing switched: " + staged.error().message());
    out_.data["bytes_fetched"] = staged->bytes_wire;
    out_.data["bytes_delta"] = staged->bytes_delta;
    out_.data["deltas"] = staged->deltas;
    out_.data["objects_local"] = staged->local;
    if (auto s = sync_filesystem(req_.root); !s) return drop(s.error().message());
    report_("staged", std::to_string(staged->objects) + " objects staged", out_.data);
    if (auto r = pre_hook(); !r) return drop(r.error().message() + "; nothing switched");

    if (auto r = journal(upgrade_state::switching); !r) return drop(r.error().message());
    report_("switching", "switching " + std::to_string(plan_.files()) + " paths", out_.data);
    SwitchInput sw{&from_.manifest, &to_.manifest, &plan_, drifted_, req_.root};
    if (auto r = switch_tree(sw, area_); !r) return roll_back_after("switch failed: " + r.error().message());
    if (auto s = sync_filesystem(req_.root); !s) return roll_back_after(s.error().message());
    if (auto r = journal(upgrade_state::switched); !r) return roll_back_after(r.error().message());
    report_("switched", "the root is " + to_.ref, out_.data);
    if (!policy_.post.empty())
      if (auto r = run_hook(runner_, "post", policy_.post, hook_env()); !r) return roll_back_after(r.error().message());
    return commit();
  }

  Result<UpgradeOutcome> commit() {
    if (auto s = sync_filesystem(req_.root); !s) return roll_back_after(s.error().message());
    const char* state = plan_.reboot ? upgrade_state::reboot_pending : upgrade_state::committed;
    if (auto r = journal(state); !r) return roll_back_after(r.error().message());
    // From here the upgrade stands: the image state follows, and recover() finishes it if cut.
    if (auto w = write_image_state(req_.root / kImageStateDir, to_); !w) return fail(w.error());
    journal_.image_state_installed = true;
    if (auto r = journal(state); !r) return fail(r.error());
    (void)area_.clear_work();
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    out_.data["seconds"] = secs;
    out_.data["reboot"] = plan_.reboot;
    out_.status = plan_.reboot ? "reboot-pending" : "done";
    out_.message = from_.ref + " -> " + to_.ref + (plan_.reboot ? ", reboot pending" : "");
    report_(plan_.reboot ? "rebooting" : "done", out_.message, out_.data);
    return out_;
  }

  const UpgradeRequest& req_;
  image::ImageSource& src_;
  CommandRunner& runner_;
  const UpgradeReporter& report_;
  UpgradeArea area_;
  image::SignedManifest from_, to_;
  image::KeepList protect_;
  std::vector<std::string> drifted_;
  image::UpgradePolicy policy_;
  image::UpgradePlan plan_;
  UpgradeJournal journal_;
  UpgradeOutcome out_;
  std::chrono::steady_clock::time_point t0_;
};

}  // namespace

Result<UpgradeOutcome> run_upgrade(const UpgradeRequest& req, image::ImageSource& source, CommandRunner& runner,
                                   const UpgradeReporter& report) {
  UpgradeArea area(req.root);
  auto j = area.load();
  if (!j) return fail(j.error());
  if (*j && (*j)->state == upgrade_state::reboot_pending)
    return fail("the upgrade to " + (*j)->to + " waits for its reboot (then `ingot-agent upgrade --recover`)");
  // An interrupted earlier upgrade is settled first: the plan needs a root that is exactly n.
  if (auto settled = recover_upgrade(req.root); !settled) return fail(settled.error());
  return Upgrade(req, source, runner, report).run();
}

}  // namespace ingot::agent
