// The steps of a recipe build, each over a work tree, in the order builder.cpp runs them:
//   base tree: debootstrap_base (suite + variant, download tarball cached) or assemble_base
//              (Debian packages unpacked with dpkg-deb, no package manager: the tiny role)
//   each layer: apply_layer (groups/users with fixed ids, packages, removals, overlay, hooks),
//              inside a BuildChroot that keeps services from starting
//   normalise_tree: drop caches, logs, machine-id, host keys and the recipe's drop globs
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "common/result.h"
#include "common/command_runner.h"
#include "imagebuilder/recipe.h"

namespace ingot::image {

// The mirror for suite from the system's apt sources (deb822 .sources and one-line .list).
Result<std::string> system_mirror(std::string_view suite);

Result<void> debootstrap_base(const BuildPlan& plan, const std::string& mirror, const std::filesystem::path& tree,
                              const std::filesystem::path& cache_dir, const LoggedRunner& run);

Result<void> assemble_base(const BuildPlan& plan, const std::filesystem::path& tree, const std::filesystem::path& cache_dir,
                           const LoggedRunner& run);

// While alive: /proc mounted, a policy-rc.d that forbids starting services, the host's
// resolv.conf for apt, and apt settings for a non-interactive build. All undone on destruction.
class BuildChroot {
 public:
  static Result<BuildChroot> enter(const std::filesystem::path& tree, bool recommends);
  BuildChroot(BuildChroot&& o) noexcept : tree_(std::move(o.tree_)), proc_mounted_(o.proc_mounted_) { o.tree_.clear(); }
  BuildChroot& operator=(BuildChroot&&) = delete;
  ~BuildChroot();

 private:
  explicit BuildChroot(std::filesystem::path tree) : tree_(std::move(tree)) {}
  std::filesystem::path tree_;
  bool proc_mounted_ = false;
};

// Groups and users are created before the packages that would otherwise allocate their ids.
Result<void> create_accounts(const BuildPlan& plan, const std::filesystem::path& tree, const LoggedRunner& run);
Result<void> apply_layer(const BuildPlan& plan, const RecipeLayer& layer, const std::filesystem::path& tree,
                         const LoggedRunner& run);

// SOURCE_DATE_EPOCH for a tree built from a mirror: the Date of the suite's Release file that
// apt used, so the same archive state gives the same timestamp. Empty when there is none.
std::optional<std::int64_t> release_date(const std::filesystem::path& tree);

Result<void> normalise_tree(const BuildPlan& plan, const std::filesystem::path& tree, std::int64_t source_date);

}  // namespace ingot::image
