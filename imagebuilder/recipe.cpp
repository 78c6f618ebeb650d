#include "imagebuilder/recipe.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <set>

#include "imagebuilder/file_io.h"
#include "imagebuilder/image_ref.h"
#include "imagebuilder/keep_list.h"

namespace ingot::image {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::set<std::string> kKnownFields{"role",  "parent", "method",   "suite",  "variant",        "mirror",
                                         "components", "recommends", "packages", "remove", "overlay", "hooks",
                                         "groups", "users", "keep",   "drop",    "version", "kernel_modules", "comment", "initramfs",
                                         "ingot_agent"};
// Fields only the root of a chain may set: a layer cannot change what it is built on.
const std::set<std::string> kRootOnly{"method", "suite", "variant", "mirror", "components", "recommends", "kernel_modules"};

// Reads typed fields of one recipe file; every error names the file and the field.
class RecipeReader {
 public:
  RecipeReader(const json& j, fs::path file) : j_(j), file_(std::move(file)) {}

  Unexpected err(const std::string& field, const std::string& what) const {
    return fail(file_.string() + ": field '" + field + "' " + what);
  }
  bool has(const char* k) const { return j_.contains(k); }

  Result<std::string> str(const char* k, std::string fallback = {}) const {
    if (!has(k)) return fallback;
    if (!j_[k].is_string()) return err(k, "must be a string");
    return j_[k].get<std::string>();
  }
  Result<bool> boolean(const char* k, bool fallback) const {
    if (!has(k)) return fallback;
    if (!j_[k].is_boolean()) return err(k, "must be true or false");
    return j_[k].get<bool>();
  }
  Result<std::vector<std::string>> strings(const char* k) const {
    std::vector<std::string> out;
    if (!has(k)) return out;
    if (!j_[k].is_array()) return err(k, "must be an array of strings");
    for (auto& v : j_[k]) {
      if (!v.is_string() || v.get<std::string>().empty()) return err(k, "must be an array of non-empty strings");
      out.push_back(v.get<std::string>());
    }
    return out;
  }
  Result<std::uint32_t> id(const json& obj, const char* k, const std::string& where) const {
    if (!obj.contains(k) || !obj[k].is_number_unsigned() || obj[k].get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max())
      return fail(file_.string() + ": " + where + " needs '" + k + "', a non-negative integer");
    return static_cast<std::uint32_t>(obj[k].get<std::uint64_t>());
  }
  const json& raw() const { return j_; }
  const fs::path& file() const { return file_; }

 private:
  const json& j_;
  fs::path file_;
};

// Package names as Debian allows them (policy 5.6.1), plus an optional ":arch".
bool valid_package(const std::string& p) {
  if (p.size() < 2 || !std::isalnum(static_cast<unsigned char>(p[0]))) return false;
  return std::all_of(p.begin(), p.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' ||
           c == '.' || c == ':';
  });
}

bool valid_account(const std::string& n) {
  if (n.empty() || n.size() > 32 || !(std::islower(static_cast<unsigned char>(n[0])) || n[0] == '_')) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

Result<void> read_accounts(const RecipeReader& r, BuildPlan& plan) {
  auto& j = r.raw();
  if (j.contains("groups")) {
    if (!j["groups"].is_array()) return r.err("groups", "must be an array of {name, gid}");
    for (auto& g : j["groups"]) {
      if (!g.is_object() || !g.contains("name") || !g["name"].is_string() || !valid_account(g["name"].get<std::string>()))
        return r.err("groups", "entries need a 'name' (lowercase account name)");
      auto gid = r.id(g, "gid", "group " + g["name"].get<std::string>());
      if (!gid) return fail(gid.error());
      plan.groups.push_back({g["name"].get<std::string>(), *gid});
    }
  }
  if (j.contains("users")) {
    if (!j["users"].is_array()) return r.err("users", "must be an array of {name, uid, gid, home, shell, groups}");
    for (auto& u : j["users"]) {
      if (!u.is_object() || !u.contains("name") || !u["name"].is_string() || !valid_account(u["name"].get<std::string>()))
        return r.err("users", "entries need a 'name' (lowercase account name)");
      RecipeUser user;
      user.name = u["name"].get<std::string>();
      auto uid = r.id(u, "uid", "user " + user.name);
      if (!uid) return fail(uid.error());
      auto gid = r.id(u, "gid", "user " + user.name);
      if (!gid) return fail(gid.error());
      user.uid = *uid;
      user.gid = *gid;
      if (u.contains("home") && u["home"].is_string()) user.home = u["home"].get<std::string>();
      if (u.contains("shell") && u["shell"].is_string()) user.shell = u["shell"].get<std::string>();
      if (u.contains("groups")) {
        if (!u["groups"].is_array()) return r.err("users", "'groups' of " + user.name + " must be an array of names");
        for (auto& g : u["groups"])
          if (g.is_string()) user.groups.push_back(g.get<std::string>());
      }
      plan.users.push_back(std::move(user));
    }
  }
  return ok();
}

Result<void> read_layer(const RecipeReader& r, const fs::path& dir, const std::string& role, bool root, BuildPlan& plan) {
  for (auto it = r.raw().begin(); it != r.raw().end(); ++it) {
    if (!kKnownFields.count(it.key())) return fail(r.file().string() + ": unknown field '" + it.key() + "'");
    if (!root && kRootOnly.count(it.key()))
      return fail(r.file().string() + ": field '" + it.key() + "' may only be set by the root recipe of the chain (it has a parent)");
  }
  RecipeLayer layer;
  layer.role = role;
  layer.dir = dir;
  for (auto [field, out] : {std::pair{"packages", &layer.packages}, std::pair{"remove", &layer.remove}}) {
    auto v = r.strings(field);
    if (!v) return fail(v.error());
    for (auto& p : *v)
      if (!valid_package(p)) return r.err(field, "has '" + p + "', not a Debian package name");
    *out = std::move(*v);
  }
  auto overlay = r.str("overlay", fs::exists(dir / "overlay") ? "overlay" : "");
  if (!overlay) return fail(overlay.error());
  if (!overlay->empty()) {
    if (!fs::is_directory(dir / *overlay)) return r.err("overlay", "names " + (dir / *overlay).string() + ", which is not a directory");
    layer.overlay = fs::absolute(dir / *overlay);
  }
  auto hooks = r.strings("hooks");
  if (!hooks) return fail(hooks.error());
  for (auto& h : *hooks) {
    if (!fs::is_regular_file(dir / h)) return r.err("hooks", "names " + (dir / h).string() + ", which does not exist");
    layer.hooks.push_back(fs::absolute(dir / h));
  }
  for (auto [field, out] : {std::pair{"keep", &plan.keep}, std::pair{"drop", &plan.drop}}) {
    auto v = r.strings(field);
    if (!v) return fail(v.error());
    for (auto& p : *v) {
      auto n = normalise_keep_pattern(p);
      if (!n) return r.err(field, n.error().message());
      out->push_back(*n);
    }
  }
  if (auto a = read_accounts(r, plan); !a) return a;
  auto agent = r.boolean("ingot_agent", false);
  if (!agent) return fail(agent.error());
  plan.ingot_agent = plan.ingot_agent || *agent;
  if (r.has("initramfs") && !plan.initramfs) {
    auto& ir = r.raw()["initramfs"];
    if (!ir.is_object() || !ir.contains("from") || !ir.contains("to") || !ir["from"].is_string() || !ir["to"].is_string())
      return r.err("initramfs", "must be {\"from\": DIR, \"to\": FILE}, paths inside the tree");
    auto from = normalise_keep_pattern(ir["from"].get<std::string>()), to = normalise_keep_pattern(ir["to"].get<std::string>());
    if (!from || !to) return r.err("initramfs", "paths must be relative, without '..'");
    plan.initramfs = std::make_pair(*from, *to);
  }
  plan.layers.insert(plan.layers.begin(), std::move(layer));
  return ok();
}

Result<void> read_root(const RecipeReader& r, BuildPlan& plan) {
  auto method = r.str("method", "debootstrap");
  if (!method) return fail(method.error());
  if (*method == "assemble") plan.method = BuildMethod::assemble;
  else if (*method != "debootstrap") return r.err("method", "must be \"debootstrap\" or \"assemble\"");
  for (auto [field, out] : {std::pair{"suite", &plan.suite}, std::pair{"variant", &plan.variant}, std::pair{"mirror", &plan.mirror}}) {
    auto v = r.str(field, *out);
    if (!v) return fail(v.error());
    *out = *v;
  }
  if (r.has("components")) {
    auto c = r.strings("components");
    if (!c) return fail(c.error());
    plan.components = *c;
  }
  auto rec = r.boolean("recommends", false);
  if (!rec) return fail(rec.error());
  plan.recommends = *rec;
  auto mods = r.strings("kernel_modules");
  if (!mods) return fail(mods.error());
  plan.kernel_modules = *mods;
  return ok();
}

// Ids are declared, not allocated: two names for one id (or two ids for one name) across
// layers would make file ownership depend on build order. Each account once; a repeat is fine
// when it is the same name:id. `kind` ("group", "user") names them in the error.
template <typename Account, typename Id>
Result<std::vector<Account>> declared_once(const std::vector<Account>& declared, Id Account::*id, const char* kind) {
  std::vector<Account> once;
  for (auto& a : declared) {
    auto same = std::find_if(once.begin(), once.end(), [&](auto& o) { return o.name == a.name || o.*id == a.*id; });
    if (same == once.end()) once.push_back(a);
    else if (same->name != a.name || (*same).*id != a.*id)
      return fail(std::string("recipes declare ") + kind + " " + a.name + ":" + std::to_string(a.*id) + " and " +
                  same->name + ":" + std::to_string((*same).*id));
  }
  return once;
}

Result<void> dedupe_accounts(BuildPlan& plan) {
  auto groups = declared_once(plan.groups, &RecipeGroup::gid, "group");
  if (!groups) return fail(groups.error());
  auto users = declared_once(plan.users, &RecipeUser::uid, "user");
  if (!users) return fail(users.error());
  for (auto& u : *users)
    if (std::none_of(groups->begin(), groups->end(), [&](auto& g) { return g.gid == u.gid; }))
      return fail("user " + u.name + " has primary gid " + std::to_string(u.gid) + ", which no recipe declares in 'groups'");
  plan.groups = std::move(*groups);
  plan.users = std::move(*users);
  return ok();
}

}  // namespace

Result<BuildPlan> load_build_plan(const fs::path& role_dir) {
  BuildPlan plan;
  fs::path dir = fs::absolute(role_dir).lexically_normal();
  if (dir.has_filename() == false) dir = dir.parent_path();
  plan.role = dir.filename().string();
  std::vector<std::string> seen;
  for (bool leaf = true;; leaf = false) {
    std::string role = dir.filename().string();
    if (auto r = check_role_name(role); !r) return fail(dir.string() + ": directory name is not a role name: " + r.error().message());
    if (std::find(seen.begin(), seen.end(), role) != seen.end()) return fail("recipe parents loop through role " + role);
    if (seen.size() >= kMaxRecipeDepth) return fail("recipe chain of " + plan.role + " is deeper than " + std::to_string(kMaxRecipeDepth));
    seen.push_back(role);
    auto file = dir / kRecipeFile;
    auto text = read_file_limited(file, kMaxRecipeBytes);
    if (!text) return fail(text.error());
    json j = json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail(file.string() + ": not a JSON object");
    RecipeReader r(j, file);
    auto parent = r.str("parent");
    if (!parent) return fail(parent.error());
    if (leaf) {
      auto v = r.str("version");
      if (!v) return fail(v.error());
      plan.version = *v;
    }
    if (auto named = r.str("role", role); !named || *named != role)
      return fail(file.string() + ": field 'role' must match the directory name '" + role + "'");
    if (auto l = read_layer(r, dir, role, parent->empty(), plan); !l) return fail(l.error());
    if (parent->empty()) {
      if (auto rr = read_root(r, plan); !rr) return fail(rr.error());
      break;
    }
    dir = dir.parent_path() / *parent;
  }
  if (auto d = dedupe_accounts(plan); !d) return fail(d.error());
  std::sort(plan.keep.begin(), plan.keep.end());
  plan.keep.erase(std::unique(plan.keep.begin(), plan.keep.end()), plan.keep.end());
  return plan;
}

}  // namespace ingot::image
