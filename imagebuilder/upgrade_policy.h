// The role's upgrade policy, a plain file in the image: /usr/lib/ingot/upgrade.json
// (provisioner/UPGRADES.md): {"pre": PATH, "post": PATH, "reboot_paths": [PREFIX, ...]}, all keys
// optional. Absent file: no hooks, and a change under /boot/ or (/usr)/lib/modules/ reboots.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ingot::image {

inline constexpr const char* kUpgradePolicyPath = "usr/lib/ingot/upgrade.json";  // manifest-relative
// A policy is a few lines; anything larger is not one.
inline constexpr std::size_t kMaxUpgradePolicyBytes = 64 * 1024;

struct UpgradePolicy {
  std::string pre;   // absolute path inside the root, or empty
  std::string post;
  std::vector<std::string> reboot_paths{"/boot/", "/lib/modules/", "/usr/lib/modules/"};

  // path: manifest-relative ("boot/vmlinuz").
  bool needs_reboot(std::string_view path) const;
};

// Errors name the file and the field.
Result<UpgradePolicy> parse_upgrade_policy(std::string_view text);

}  // namespace ingot::image
