// A role as hwmatch sees it: a name, how many nodes it may take, and its hardware spec.
// The order file (roles/order) lists roles in the order they are tried, each with a count:
//
//   # role          count     first role that matches and has room wins
//   install-server  1
//   controller      3
//   compute         *         # no limit
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "hwmatch/spec.h"

namespace ingot::hwmatch {

// Far above any real site (eDeploy sites ran tens of profiles); bounds a hostile order file.
inline constexpr std::size_t kMaxRoles = 1000;
// A count above this is almost certainly a typo for '*'.
inline constexpr std::size_t kMaxRoleCount = 1'000'000;
inline constexpr std::size_t kMaxRoleOrderBytes = 256 * 1024;

// Per-node key/values handed to a role's configuration (hostname, IPs, ...).
using Allocation = std::map<std::string, std::string>;

struct Role {
  std::string name;
  std::optional<std::size_t> count;  // nullopt: '*', no limit; 0: never deployed
  Spec spec;
  // eDeploy CMDB entries when imported from an eDeploy configuration: one per node, picked by
  // $$ variables or first free (see edeploy_cmdb.h).
  std::vector<Allocation> cmdb;
  bool has_cmdb = false;
};

struct RoleOrderEntry {
  std::string name;
  std::optional<std::size_t> count;
  int line = 0;
};

// Parses the order file. Errors name file:line:col.
Result<std::vector<RoleOrderEntry>> parse_role_order(std::string_view text, const std::string& file);

// Role names become directory names and config keys: keep them to [A-Za-z0-9_.-].
bool valid_role_name(std::string_view name);

// "3" or "*"; nullopt count means no limit.
Result<std::optional<std::size_t>> parse_role_count(std::string_view text);

std::string count_text(const std::optional<std::size_t>& count);

}  // namespace ingot::hwmatch
