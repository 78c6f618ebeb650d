// What a deployed node knows about its own image (provisioner/UPGRADES.md, "On the deployed node's
// disk"): /var/lib/ingot/image/{manifest.json,manifest.sig,ref,key.pub} — the exact signed
// manifest it was deployed or last upgraded with, its resolved ref, and the public key it was
// verified with (the key later upgrades must be signed with) — and
// /var/lib/ingot/node-config.list, the node's own config files that upgrades keep.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "imagebuilder/manifest.h"
#include "imagebuilder/signed_manifest.h"
#include "imagebuilder/upgrade_plan.h"

namespace ingot::agent {

inline constexpr const char* kAgentStateDir = image::kNodeStateDir;  // relative to the root; never upgraded
inline constexpr const char* kImageStateDir = "var/lib/ingot/image";
inline constexpr const char* kNodeConfigList = "var/lib/ingot/node-config.list";
// One path per line; a node has a few dozen config files, so this is generous.
inline constexpr std::size_t kMaxNodeConfigListBytes = 1 << 20;

// dir: root/kImageStateDir, or a staging copy. Each file is replaced atomically and fsynced.
Result<void> write_image_state(const std::filesystem::path& dir, const image::SignedManifest& m);
// Reads and re-verifies what write_image_state wrote.
Result<image::SignedManifest> read_image_state(const std::filesystem::path& dir);

Result<void> write_node_config_list(const std::filesystem::path& root, const std::vector<std::string>& paths);
// Missing file: empty list (a node deployed before the list existed keeps only its keep list).
Result<std::vector<std::string>> read_node_config_list(const std::filesystem::path& root);

}  // namespace ingot::agent
