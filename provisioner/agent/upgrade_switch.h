// The switch (state `switching`): turns a root that is n into n+1 from the staged objects.
// Removed paths go first (deepest first), then added and replaced paths in manifest order
// (parents first), then directory metadata (deepest first). Before a path's old content is
// replaced or removed it is hard-linked into the undo area under n's sha256; every new inode is
// complete (content, owner, mode, xattrs, mtime) under a temp name before one rename puts it in
// place, so an interruption leaves each path either n or n+1 and rollback (upgrade_rollback.h)
// can always restore n.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "imagebuilder/manifest.h"
#include "provisioner/agent/upgrade_journal.h"
#include "imagebuilder/upgrade_plan.h"

namespace ingot::agent {

inline constexpr const char* kSwitchTempSuffix = ".ingot-new";  // the apply engine's, so both clean it up

struct SwitchInput {
  const image::Manifest* from = nullptr;
  const image::Manifest* to = nullptr;
  const image::UpgradePlan* plan = nullptr;
  std::vector<std::string> drifted;  // their content is not n's: never kept as undo
  std::filesystem::path root;
};

Result<void> switch_tree(const SwitchInput& in, const UpgradeArea& area);

// Owner, mode, xattrs and mtime of an entry onto path (never follows a symlink).
Result<void> set_entry_metadata(const std::string& path, const image::Entry& e);

}  // namespace ingot::agent
