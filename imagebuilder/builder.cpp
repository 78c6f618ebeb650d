#include "imagebuilder/builder.h"

#include <sys/mount.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "imagebuilder/build_report.h"
#include "imagebuilder/file_io.h"
#include "imagebuilder/keep_list.h"
#include "imagebuilder/build_stages.h"
#include "imagebuilder/host_program_install.h"
#include "imagebuilder/image_publish.h"
#include "imagebuilder/initramfs_pack.h"
#include "imagebuilder/progress_line.h"
#include "imagebuilder/recipe.h"

namespace ingot::image {
namespace {

// Only the "keep" list of a recipe (for --from-tree builds): the rest of the recipe says how to
// build a tree, which a stored tree does not need.
Result<std::vector<std::string>> recipe_keep_list(const std::filesystem::path& recipe) {
  auto text = read_file_limited(recipe, 1 << 20);
  if (!text) return fail(text.error());
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail(recipe.string() + ": not a JSON object");
  std::vector<std::string> keep;
  if (!j.contains("keep")) return keep;
  if (!j["keep"].is_array()) return fail(recipe.string() + ": keep must be a list of paths");
  for (auto& k : j["keep"]) {
    if (!k.is_string()) return fail(recipe.string() + ": keep must be a list of paths");
    auto n = normalise_keep_pattern(k.get<std::string>());
    if (!n) return fail(recipe.string() + ": keep: " + n.error().message());
    keep.push_back(*n);
  }
  return keep;
}


namespace fs = std::filesystem;
using json = nlohmann::json;

void phase(const std::string& what) { std::cerr << "==> " << what << std::endl; }

// Anything still mounted below the work tree (a crashed chroot step) is detached before the
// tree is removed, so removal can never reach into /proc or the host.
void unmount_below(const fs::path& dir) {
  std::ifstream in("/proc/self/mounts");
  std::vector<std::string> points;
  for (std::string dev, point, rest; in >> dev >> point && std::getline(in, rest);)
    if (point.starts_with(dir.string() + "/")) points.push_back(point);
  for (auto it = points.rbegin(); it != points.rend(); ++it) ::umount2(it->c_str(), MNT_DETACH);
}

class WorkDir {
 public:
  static Result<WorkDir> create(const fs::path& parent, bool keep) {
    std::error_code ec;
    fs::create_directories(parent, ec);
    std::string tmpl = (parent / "ingot-build.XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) return fail("cannot create a work directory in " + parent.string());
    return WorkDir(tmpl, keep);
  }
  WorkDir(WorkDir&& o) noexcept : path_(std::move(o.path_)), keep_(o.keep_) { o.path_.clear(); }
  ~WorkDir() {
    if (path_.empty()) return;
    unmount_below(path_);
    if (keep_) {
      std::cerr << "work tree kept: " << path_ << "\n";
      return;
    }
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  WorkDir(fs::path p, bool keep) : path_(std::move(p)), keep_(keep) {}
  fs::path path_;
  bool keep_;
};

std::vector<std::string> build_env(const std::string& role, std::optional<std::int64_t> sde) {
  std::vector<std::string> env{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                               "LC_ALL=C.UTF-8", "DEBIAN_FRONTEND=noninteractive", "DEBCONF_NONINTERACTIVE_SEEN=true",
                               "PYTHONHASHSEED=0", "HOME=/root", "INGOT_ROLE=" + role};
  if (sde) env.push_back("SOURCE_DATE_EPOCH=" + std::to_string(*sde));
  for (const char* pass : {"http_proxy", "https_proxy", "no_proxy", "TMPDIR"})
    if (const char* v = std::getenv(pass)) env.push_back(std::string(pass) + "=" + v);
  return env;
}

// Recipe → finished tree in work/tree. Returns the SOURCE_DATE_EPOCH it used.
Result<std::int64_t> build_tree(const BuildPlan& plan, const BuildRequest& req, const fs::path& tree,
                                std::optional<std::int64_t> sde, const fs::path& log) {
  LoggedRunner run(log, build_env(plan.role, sde));
  if (plan.method == BuildMethod::debootstrap) {
    std::string mirror = plan.mirror;
    if (mirror.empty()) {
      auto m = system_mirror(plan.suite);
      if (!m) return fail(m.error());
      mirror = *m;
    }
    phase("debootstrap " + plan.suite + " (" + plan.variant + ") from " + mirror);
    if (auto r = debootstrap_base(plan, mirror, tree, req.cache_dir, run); !r) return fail(r.error());
  } else {
    phase("assembling from packages");
    if (auto r = assemble_base(plan, tree, req.cache_dir, run); !r) return fail(r.error());
  }
  // Debootstrap: the Release apt used inside the tree. Assemble: the host's, whose apt chose the packages.
  if (!sde) sde = release_date(plan.method == BuildMethod::debootstrap ? tree : fs::path("/"));
  if (!sde) return fail("no SOURCE_DATE_EPOCH and no Release date in the tree: set SOURCE_DATE_EPOCH");
  // Maintainer scripts see the same epoch as the clamp (shadow's dates, generated files).
  LoggedRunner layers(log, build_env(plan.role, sde));
  if (auto r = create_accounts(plan, tree, layers); !r) return fail(r.error());
  {
    std::optional<BuildChroot> chroot;
    if (plan.method == BuildMethod::debootstrap) {
      auto c = BuildChroot::enter(tree, plan.recommends);
      if (!c) return fail(c.error());
      chroot.emplace(std::move(*c));
    }
    for (auto& layer : plan.layers) {
      phase("layer " + layer.role + ": " + std::to_string(layer.packages.size()) + " packages, " +
            (layer.overlay ? "overlay, " : "") + std::to_string(layer.hooks.size()) + " hooks");
      if (auto r = apply_layer(plan, layer, tree, layers); !r) return fail(r.error());
    }
    if (plan.method == BuildMethod::debootstrap)
      if (auto r = layers.run_in(tree, {"apt-get", "clean"}); !r) return fail(r.error());
  }
  if (auto r = create_accounts(plan, tree, layers); !r) return fail(r.error());  // groups packages created
  if (plan.ingot_agent) {
    if (req.agent.empty()) return fail("the recipe sets \"ingot_agent\" but no agent binary was given (--agent PATH)");
    phase("ingot-agent from " + req.agent.string());
    auto a = install_host_program(req.agent, tree, kAgentPathInTree, layers);
    if (!a) return fail("ingot_agent: " + a.error().message());
  }
  if (plan.initramfs) {
    phase("packing initramfs " + plan.initramfs->second);
    fs::path from = tree / plan.initramfs->first;
    if (auto r = pack_initramfs(from, tree / plan.initramfs->second, *sde); !r) return fail("initramfs: " + r.error().message());
    std::error_code ec;
    fs::remove_all(from, ec);
  }
  phase("normalising");
  if (auto r = normalise_tree(plan, tree, *sde); !r) return fail(r.error());
  return *sde;
}

}  // namespace

Result<json> build_image(const BuildRequest& request) {
  // Steps cd and chroot: every path they get must be absolute.
  BuildRequest req = request;
  for (auto* p : {&req.store_dir, &req.key_file, &req.cache_dir, &req.work_dir}) *p = fs::absolute(*p);
  if (!req.agent.empty()) req.agent = fs::absolute(req.agent);
  auto start = std::chrono::steady_clock::now();
  auto sde = source_date_epoch();
  if (!sde) return fail(sde.error());
  auto store = ObjectStore::open(req.store_dir);
  if (!store) return fail(store.error());
  auto key = SigningKey::load(req.key_file);
  if (!key) return fail("signing key: " + key.error().message() + " (create one with `ingot key generate`)");

  PublishRequest pub;
  pub.threads = req.threads;
  pub.source_date = *sde;
  json recipe_info;
  std::optional<WorkDir> work;
  std::optional<BuildPlan> plan;
  if (req.from_tree) {
    pub.tree = *req.from_tree;
    pub.ref = {fs::path(req.role_dir).filename().string(), req.version};
    recipe_info = {{"from_tree", fs::absolute(*req.from_tree).string()}};
    // A stored tree still honours its role's keep list when the role directory has a recipe.
    if (fs::path recipe = fs::path(req.role_dir) / "recipe.json"; fs::is_regular_file(recipe)) {
      auto keep = recipe_keep_list(recipe);
      if (!keep) return fail(keep.error());
      pub.keep = *keep;
    }
  } else {
    auto p = load_build_plan(req.role_dir);
    if (!p) return fail(p.error());
    plan = std::move(*p);
    pub.ref = {plan->role, req.version.empty() ? plan->version : req.version};
    pub.keep = plan->keep;
    json layers = json::array();
    for (auto& l : plan->layers) layers.push_back(l.role);
    recipe_info = {{"layers", layers}, {"method", plan->method == BuildMethod::debootstrap ? "debootstrap" : "assemble"},
                   {"suite", plan->suite}, {"variant", plan->variant}};
  }
  if (pub.ref.version.empty()) return fail("no version: pass --version or set \"version\" in the recipe");
  if (auto r = check_role_name(pub.ref.role); !r) return fail(r.error());
  if (auto r = check_version(pub.ref.version); !r) return fail(r.error());
  if (store->has_image(pub.ref)) return fail("image " + pub.ref.str() + " already exists in " + req.store_dir.string());

  if (plan) {
    auto w = WorkDir::create(req.work_dir, req.keep_work);
    if (!w) return fail(w.error());
    work.emplace(std::move(*w));
    pub.tree = work->path() / "tree";
    fs::create_directories(pub.tree);
    fs::path log = work->path() / "build.log";
    if (req.keep_work) std::cerr << "build log: " << log << "\n";
    auto used = build_tree(*plan, req, pub.tree, *sde, log);
    if (!used) return fail(pub.ref.str() + ": " + used.error().message());
    pub.source_date = *used;
    recipe_info["source_date_epoch"] = *used;
  }

  phase("storing " + pub.ref.str());
  ProgressLine bar("store " + pub.ref.str());
  pub.progress = [&](std::size_t d, std::size_t t, std::uint64_t b) { bar.update(d, t, b); };
  auto res = publish_tree(*store, *key, pub);
  if (!res) return fail(res.error());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  bar.finish(std::to_string(res->manifest.entries.size()) + " entries, " + human_bytes(res->stats.bytes) + ", " +
             std::to_string(res->stats.objects_added) + " new objects (" + human_bytes(res->stats.stored_bytes) + " stored)");
  return build_report_json(*res, secs, recipe_info);
}

}  // namespace ingot::image
