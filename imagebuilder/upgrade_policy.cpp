#include "imagebuilder/upgrade_policy.h"

#include <nlohmann/json.hpp>

namespace ingot::image {

bool UpgradePolicy::needs_reboot(std::string_view path) const {
  std::string abs = "/" + std::string(path);
  for (auto& p : reboot_paths) {
    if (abs.starts_with(p)) return true;
    // "/boot/" also covers the directory /boot itself.
    if (p.ends_with('/') && abs == p.substr(0, p.size() - 1)) return true;
  }
  return false;
}

Result<UpgradePolicy> parse_upgrade_policy(std::string_view text) {
  const std::string where = std::string("/") + kUpgradePolicyPath;
  if (text.size() > kMaxUpgradePolicyBytes) return fail(where + ": larger than " + std::to_string(kMaxUpgradePolicyBytes) + " bytes");
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail(where + ": not a JSON object");
  UpgradePolicy p;
  for (const char* hook : {"pre", "post"}) {
    if (!j.contains(hook) || j[hook].is_null()) continue;
    if (!j[hook].is_string() || j[hook].get<std::string>().empty() || j[hook].get<std::string>()[0] != '/')
      return fail(where + ": \"" + hook + "\" must be an absolute path");
    (std::string(hook) == "pre" ? p.pre : p.post) = j[hook].get<std::string>();
  }
  if (j.contains("reboot_paths")) {
    if (!j["reboot_paths"].is_array()) return fail(where + ": \"reboot_paths\" must be a list of path prefixes");
    p.reboot_paths.clear();
    for (auto& v : j["reboot_paths"]) {
      if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>()[0] != '/')
        return fail(where + ": \"reboot_paths\" entries must be absolute path prefixes");
      p.reboot_paths.push_back(v.get<std::string>());
    }
  }
  return p;
}

}  // namespace ingot::image
