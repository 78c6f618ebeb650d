// Rollback: puts a root that an interrupted or failed switch left between n and n+1 back to
// exactly n. Removes what n+1 added, then re-applies n's entries for every path the plan
// touched (and their parent directories) with imagebuilder's apply engine, reading n's old
// content from the undo area or the staged objects (hash-checked as it streams) and reusing
// what is already right on disk. Idempotent: a rollback interrupted by power loss is rerun.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "imagebuilder/apply_source.h"
#include "imagebuilder/keep_list.h"
#include "imagebuilder/manifest.h"
#include "provisioner/agent/upgrade_journal.h"

namespace ingot::agent {

struct RollbackInput {
  const image::Manifest* from = nullptr;  // n: what the root goes back to
  const image::Manifest* to = nullptr;    // n+1: what the switch was making
  std::vector<std::string> drifted;       // overwritten drift, as the journal recorded it
  const image::KeepList* protect = nullptr;
  std::filesystem::path root;
};

Result<void> roll_back(const RollbackInput& in, const UpgradeArea& area);

// An ImageSource over local content directories named by sha256 (the undo area, the staged
// objects): each file is hashed as it streams and refused unless it is the entry's content.
std::unique_ptr<image::ImageSource> local_content_source(std::vector<std::filesystem::path> dirs);

}  // namespace ingot::agent
