// apply_layer (build_stages.h): one role's packages, removals, overlay and hooks, in that order
// (hooks see the overlay; the overlay may replace a package's default config).
#include <unistd.h>

#include "imagebuilder/build_stages.h"

namespace ingot::image {
namespace {

namespace fs = std::filesystem;

Result<void> apt(const fs::path& tree, const LoggedRunner& run, std::vector<std::string> args) {
  std::vector<std::string> argv{"apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=60"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run.run_in(tree, argv);
}

Result<void> copy_overlay(const fs::path& overlay, const fs::path& tree, const LoggedRunner& run) {
  // Files take root ownership (a git checkout's owner means nothing on a node); modes and
  // symlinks are kept. Hooks set other owners when a file needs one.
  return run.run({"cp", "-a", "--no-preserve=ownership", (overlay / ".").string(), tree.string() + "/"});
}

Result<void> run_hook(const fs::path& hook, const fs::path& tree, const LoggedRunner& run) {
  fs::path inside = "/tmp/ingot-hook-" + std::to_string(::getpid());
  std::error_code ec;
  fs::create_directories(tree / "tmp", ec);
  fs::copy_file(hook, tree / inside.relative_path(), fs::copy_options::overwrite_existing, ec);
  if (ec) return fail(ec, "cannot copy hook " + hook.string() + " into the tree: " + ec.message());
  fs::permissions(tree / inside.relative_path(), fs::perms(0755), ec);
  auto r = run.run_in(tree, {inside.string()});
  fs::remove(tree / inside.relative_path(), ec);
  if (!r) return fail("hook " + hook.string() + " failed: " + r.error().message());
  return ok();
}

}  // namespace

Result<void> apply_layer(const BuildPlan& plan, const RecipeLayer& layer, const fs::path& tree, const LoggedRunner& run) {
  bool debian = plan.method == BuildMethod::debootstrap;
  if (debian && !layer.packages.empty()) {
    if (auto r = apt(tree, run, {"update"}); !r) return fail("role " + layer.role + ": apt-get update: " + r.error().message());
    std::vector<std::string> args{"install"};
    args.insert(args.end(), layer.packages.begin(), layer.packages.end());
    if (auto r = apt(tree, run, args); !r) return fail("role " + layer.role + ": installing packages: " + r.error().message());
  }
  if (debian && !layer.remove.empty()) {
    std::vector<std::string> args{"purge"};
    args.insert(args.end(), layer.remove.begin(), layer.remove.end());
    if (auto r = apt(tree, run, args); !r) return fail("role " + layer.role + ": removing packages: " + r.error().message());
    if (auto r = apt(tree, run, {"autoremove", "--purge"}); !r) return fail("role " + layer.role + ": autoremove: " + r.error().message());
  }
  if (layer.overlay)
    if (auto r = copy_overlay(*layer.overlay, tree, run); !r) return fail("role " + layer.role + ": overlay: " + r.error().message());
  for (auto& hook : layer.hooks)
    if (auto r = run_hook(hook, tree, run); !r) return fail("role " + layer.role + ": " + r.error().message());
  return ok();
}

}  // namespace ingot::image
