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
#include "imagebuilder/apply_source.h"
#include "imagebuilder/manifest.h"
#include "imagebuilder/upgrade_plan.h"

namespace ingot::agent {

inline constexpr const char* kAgentStateDir = image::kNodeStateDir;  // relative to the root; never upgraded
inline constexpr const char* kImageStateDir = "var/lib/ingot/image";
inline constexpr const char* kNodeConfigList = "var/lib/ingot/node-config.list";
// One path per line; a node has a few dozen config files, so this is generous.
inline constexpr std::size_t kMaxNodeConfigListBytes = 1 << 20;

// A manifest with the bytes its signature covers.
struct SignedManifest {
  std::string ref;  // resolved "role@version"
  std::string text;
  std::string signature;
  std::string key_pem;  // the key it verified with
  image::Manifest manifest;
};

// Checks the signature with key_pem and parses; errors name the ref.
Result<SignedManifest> verify_signed(std::string ref, std::string text, std::string signature, std::string key_pem);

// Fetches ref's manifest and signature from source. trusted_key_pem empty: trust the source's
// key (the deploy's first contact); otherwise only that key is accepted.
Result<SignedManifest> fetch_signed(image::ImageSource& source, const std::string& ref,
                                    const std::string& trusted_key_pem);

// dir: root/kImageStateDir, or a staging copy. Each file is replaced atomically and fsynced.
Result<void> write_image_state(const std::filesystem::path& dir, const SignedManifest& m);
// Reads and re-verifies what write_image_state wrote.
Result<SignedManifest> read_image_state(const std::filesystem::path& dir);

Result<void> write_node_config_list(const std::filesystem::path& root, const std::vector<std::string>& paths);
// Missing file: empty list (a node deployed before the list existed keeps only its keep list).
Result<std::vector<std::string>> read_node_config_list(const std::filesystem::path& root);

}  // namespace ingot::agent
