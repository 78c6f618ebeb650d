// Loads the roles of a configuration directory, in selection order: either ingot roles
// (DIR/order plus DIR/<role>/hardware.spec) or an eDeploy configuration (DIR/state plus
// <profile>.specs and optional <profile>.cmdb), told apart by which of order/state exists.
#pragma once

#include <filesystem>
#include <vector>

#include "common/result.h"
#include "hwmatch/role.h"

namespace ingot::hwmatch {

inline constexpr const char* kRoleOrderFile = "order";
inline constexpr const char* kRoleSpecFile = "hardware.spec";

enum class RoleSource { ingot, edeploy };

struct LoadedRoles {
  RoleSource source = RoleSource::ingot;
  std::vector<Role> roles;
};

Result<LoadedRoles> load_roles(const std::filesystem::path& dir);
Result<std::vector<Role>> load_ingot_roles(const std::filesystem::path& dir);

// Reads a whole configuration file, refusing one larger than max_bytes.
Result<std::string> read_config_file(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace ingot::hwmatch
