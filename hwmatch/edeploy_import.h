// Imports an eDeploy configuration directory into ingot roles, so an eDeploy site can move over
// without rewriting its profiles:
//   state            [('hp', 4), ('vm', '*'), ...]   profiles in match order with their counts
//   <profile>.specs  [('disk', '$disk', 'size', 'gt(4)'), ...]
//   <profile>.cmdb   [{'hostname': 'host001', 'ip': '10.0.0.3'}, ...]   (optional), or the
//                    synthetic generate({'hostname': 'host001-250', 'ip': '10.0.0.3-253'}),
//                    expanded with the pools' eDeploy-style generators (pool_range.h)
// Files are parsed as Python literals, never executed; errors name file:line:col.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"
#include "hwmatch/python_literal.h"
#include "hwmatch/role.h"

namespace ingot::hwmatch {

// A CMDB entry is one node; eDeploy sites ran hundreds to a few thousand per profile.
inline constexpr std::size_t kMaxCmdbEntries = 100'000;

Result<std::vector<Role>> load_edeploy_roles(const std::filesystem::path& dir);

// The pieces, for tests and for importing single files.
Result<Spec> parse_edeploy_specs(std::string_view text, const std::string& file);
Result<std::vector<RoleOrderEntry>> parse_edeploy_state(std::string_view text, const std::string& file);
Result<std::vector<Allocation>> parse_edeploy_cmdb(std::string_view text, const std::string& file);

}  // namespace ingot::hwmatch
