// Role recipes: roles/<role>/recipe.json. A recipe names its parent role (layers: base ->
// openstack-common -> compute), and adds packages, an overlay, hook scripts, users and groups
// with fixed ids, keep and drop patterns. The chain is resolved into one BuildPlan: the root
// layer decides how the tree starts (debootstrap of a suite, or "assemble": Debian packages
// extracted without a package manager, for the tiny test role), then each layer is applied in
// order. Errors name the recipe file and the field.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace ingot::image {

inline constexpr const char* kRecipeFile = "recipe.json";
// base -> openstack-common -> compute is 3; deeper chains are a loop or a mistake.
inline constexpr std::size_t kMaxRecipeDepth = 8;
inline constexpr std::size_t kMaxRecipeBytes = 1 << 20;

struct RecipeGroup {
  std::string name;
  std::uint32_t gid = 0;
};

struct RecipeUser {
  std::string name;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;  // primary group; must be declared in some layer's groups
  std::string home = "/nonexistent";
  std::string shell = "/usr/sbin/nologin";
  std::vector<std::string> groups;  // supplementary
};

// One role's own contribution.
struct RecipeLayer {
  std::string role;
  std::filesystem::path dir;
  std::vector<std::string> packages;
  std::vector<std::string> remove;
  std::optional<std::filesystem::path> overlay;  // absolute
  std::vector<std::filesystem::path> hooks;      // absolute, run in order inside the tree
};

enum class BuildMethod { debootstrap, assemble };

struct BuildPlan {
  std::string role;  // the leaf
  std::string version;  // the leaf's default version ("" when it has none)
  BuildMethod method = BuildMethod::debootstrap;
  std::string suite = "bookworm";
  std::string variant = "minbase";
  std::string mirror;  // "" = the system's apt sources
  std::vector<std::string> components{"main"};
  bool recommends = false;
  std::vector<std::string> kernel_modules;  // assemble: modules kept (with dependencies)
  std::vector<RecipeGroup> groups;          // all layers, deduplicated
  std::vector<RecipeUser> users;
  std::vector<std::string> keep;  // normalised
  std::vector<std::string> drop;  // normalised globs removed before scanning
  std::vector<RecipeLayer> layers;  // root first
  // Packed after the layers into a reproducible initramfs (initramfs_pack.h), then removed:
  // {directory in the tree, output file in the tree}. Set by the nearest layer that sets it.
  std::optional<std::pair<std::string, std::string>> initramfs;
  // Any layer's "ingot_agent": true: the build puts ingot-agent (BuildRequest::agent) and its
  // shared libraries into the tree (host_program_install.h), for nodes that upgrade themselves.
  bool ingot_agent = false;
};

// Reads role_dir/recipe.json and its parents (siblings of role_dir, by role name).
Result<BuildPlan> load_build_plan(const std::filesystem::path& role_dir);

}  // namespace ingot::image
