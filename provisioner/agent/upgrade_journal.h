// The upgrade engine's crash-safe state (provisioner/UPGRADES.md, "Engine states"):
// /var/lib/ingot/upgrade/journal.json, replaced atomically and fsynced at every state change,
// and the layout of the upgrade area beside it (same filesystem as the root, so staged objects
// are renamed into place and old content is hard-linked into the undo area, never copied).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace ingot::agent {

// staging → switching → switched → committed | reboot-pending; ends: committed, rolled_back, failed.
namespace upgrade_state {
inline constexpr const char* staging = "staging";
inline constexpr const char* switching = "switching";
inline constexpr const char* switched = "switched";
inline constexpr const char* committed = "committed";
inline constexpr const char* reboot_pending = "reboot-pending";
inline constexpr const char* rolled_back = "rolled_back";
inline constexpr const char* failed = "failed";
}  // namespace upgrade_state

// A journal is small; the drift list is capped by the plan's size, which a manifest bounds.
inline constexpr std::size_t kMaxJournalBytes = 64 * 1024 * 1024;

struct UpgradeJournal {
  std::string state;
  std::string from;  // "role@version"
  std::string to;
  nlohmann::json rollout;             // the server's rollout id, or null
  std::vector<std::string> drifted;   // overwritten drift: rollback restores n there too
  bool image_state_installed = false; // committed: /var/lib/ingot/image holds `to`
  std::string message;
  nlohmann::json pending_report;      // a report not yet delivered to the server, or null
};

class UpgradeArea {
 public:
  explicit UpgradeArea(const std::filesystem::path& root);
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path journal() const { return dir_ / "journal.json"; }
  std::filesystem::path objects() const { return dir_ / "objects"; }  // staged n+1 content by sha256
  std::filesystem::path undo() const { return dir_ / "undo"; }        // n's replaced content by sha256
  std::filesystem::path target() const { return dir_ / "target"; }    // n+1's signed manifest (image_state.h)
  std::filesystem::path hooks() const { return dir_ / "hooks"; }

  Result<std::optional<UpgradeJournal>> load() const;
  Result<void> save(const UpgradeJournal& j) const;
  // Drops objects, undo, target and hooks; keeps the journal.
  Result<void> clear_work() const;

 private:
  std::filesystem::path dir_;
};

Result<void> fsync_dir(const std::filesystem::path& dir);
// syncfs() of the filesystem holding path: the phase boundaries of a switch.
Result<void> sync_filesystem(const std::filesystem::path& path);

}  // namespace ingot::agent
