// assemble_base (build_stages.h): a tree from Debian packages unpacked with dpkg-deb, with no
// package manager, maintainer scripts or libc unless asked for: the tiny test role (busybox-static,
// a kernel with only the modules a VM needs, boot files). Downloads are cached by file name.
// A metapackage (nothing but docs, like linux-image-amd64) is followed to what it depends on.
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "imagebuilder/build_stages.h"

namespace ingot::image {
namespace {

namespace fs = std::filesystem;

// linux-image-amd64 -> linux-image-6.1.0-x-amd64 is one hop; more is a loop or a mistake.
constexpr int kMaxMetapackageHops = 3;

std::string field(const std::string& stanza, const std::string& name) {
  std::istringstream in(stanza);
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(name + ": ")) return line.substr(name.size() + 2);
  return {};
}

Result<fs::path> fetch_deb(const std::string& pkg, const fs::path& debs, const LoggedRunner& run) {
  auto show = run.capture({"apt-cache", "show", "--no-all-versions", pkg});
  if (!show) return fail("package " + pkg + " is unknown to apt (run apt-get update?): " + show.error().message());
  std::string version = field(*show, "Version"), arch = field(*show, "Architecture");
  if (version.empty() || arch.empty()) return fail("apt-cache show " + pkg + " gave no Version/Architecture");
  // apt-get download's file name: the epoch's ':' is written %3a.
  if (auto colon = version.find(':'); colon != std::string::npos) version.replace(colon, 1, "%3a");
  fs::path deb = debs / (pkg + "_" + version + "_" + arch + ".deb");
  if (fs::exists(deb)) return deb;
  // apt-get download writes to the working directory: env -C sets it, no shell (pkg comes from a recipe).
  if (auto r = run.run({"env", "-C", debs.string(), "apt-get", "download", "-q", pkg}); !r) return fail(r.error());
  if (!fs::exists(deb)) return fail("apt-get download " + pkg + " did not produce " + deb.string());
  return deb;
}

// Names of the Depends of a package with no payload outside usr/share/{doc,bug}; empty otherwise.
Result<std::vector<std::string>> metapackage_depends(const fs::path& deb, const LoggedRunner& run) {
  auto contents = run.capture({"dpkg-deb", "-c", deb.string()});
  if (!contents) return fail(contents.error());
  std::istringstream in(*contents);
  for (std::string line; std::getline(in, line);) {
    auto at = line.find(" ./");
    if (at == std::string::npos) continue;
    auto path = line.substr(at + 1, line.find(" -> ") == std::string::npos ? std::string::npos : line.find(" -> ") - at - 1);
    bool docs = path.starts_with("./usr/share/doc/") || path.starts_with("./usr/share/bug/");
    if (!path.ends_with("/") && !docs) return std::vector<std::string>{};
  }
  auto deps = run.capture({"dpkg-deb", "-f", deb.string(), "Depends"});
  if (!deps) return fail(deps.error());
  std::vector<std::string> out;
  std::istringstream d(*deps);
  for (std::string dep; std::getline(d, dep, ',');) {
    std::istringstream w(dep.substr(0, dep.find('|')));
    std::string name;
    if (w >> name) out.push_back(name);
  }
  return out;
}

Result<void> unpack(const std::string& pkg, const fs::path& tree, const fs::path& debs, const LoggedRunner& run, int hops,
                    std::set<std::string>& done) {
  if (!done.insert(pkg).second) return ok();
  auto deb = fetch_deb(pkg, debs, run);
  if (!deb) return fail(deb.error());
  auto deps = metapackage_depends(*deb, run);
  if (!deps) return fail(deps.error());
  if (!deps->empty()) {
    if (hops >= kMaxMetapackageHops) return fail("metapackage chain from " + pkg + " is too long");
    for (auto& d : *deps)
      if (auto r = unpack(d, tree, debs, run, hops + 1, done); !r) return r;
    return ok();
  }
  return run.run({"dpkg-deb", "-x", deb->string(), tree.string()});
}

std::string module_name(const fs::path& ko) {
  std::string n = ko.filename().string();
  n = n.substr(0, n.find(".ko"));
  for (auto& c : n)
    if (c == '-') c = '_';
  return n;
}

// Keeps the listed modules and what they depend on (modules.dep), deletes the rest, reindexes.
// The kernel package ships no modules.dep (its postinst runs depmod): index first, then prune.
Result<void> prune_modules(const BuildPlan& plan, const fs::path& tree, const LoggedRunner& run) {
  std::error_code ec;
  for (auto base : {tree / "lib/modules", tree / "usr/lib/modules"}) {
    for (fs::directory_iterator it(base, ec), end; !ec && it != end; it.increment(ec)) {
      if (fs::is_symlink(it->path()) || !fs::is_directory(it->path())) continue;
      if (auto r = run.run({"depmod", "-b", tree.string(), it->path().filename().string()}); !r) return r;
      std::map<std::string, std::pair<std::string, std::vector<std::string>>> dep;  // name -> {path, deps}
      std::ifstream in(it->path() / "modules.dep");
      for (std::string line; std::getline(in, line);) {
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::vector<std::string> deps;
        std::istringstream w(line.substr(colon + 1));
        for (std::string d; w >> d;) deps.push_back(d);
        dep[module_name(line.substr(0, colon))] = {line.substr(0, colon), deps};
      }
      std::set<std::string> keep;
      std::vector<std::string> todo;
      for (auto& m : plan.kernel_modules) {
        std::string n = m;
        for (auto& c : n)
          if (c == '-') c = '_';
        auto found = dep.find(n);
        if (found == dep.end()) return fail("kernel module '" + m + "' is not in " + (it->path() / "modules.dep").string());
        todo.push_back(found->second.first);
      }
      while (!todo.empty()) {
        auto p = todo.back();
        todo.pop_back();
        if (!keep.insert(p).second) continue;
        for (auto& d : dep[module_name(p)].second) todo.push_back(d);
      }
      for (auto& [name, entry] : dep)
        if (!keep.count(entry.first)) fs::remove(it->path() / entry.first, ec);
      if (auto r = run.run({"depmod", "-b", tree.string(), it->path().filename().string()}); !r) return r;
    }
  }
  return ok();
}

}  // namespace

Result<void> assemble_base(const BuildPlan& plan, const fs::path& tree, const fs::path& cache_dir, const LoggedRunner& run) {
  fs::path debs = cache_dir / "debs";
  std::error_code ec;
  fs::create_directories(debs, ec);
  if (ec) return fail(ec, "cannot create " + debs.string() + ": " + ec.message());
  std::set<std::string> done;
  // All layers' packages are unpacked first; overlays and hooks then run layer by layer.
  for (auto& layer : plan.layers)
    for (auto& pkg : layer.packages)
      if (auto r = unpack(pkg, tree, debs, run, 0, done); !r) return fail("assembling " + plan.role + ": " + r.error().message());
  if (!plan.kernel_modules.empty())
    if (auto r = prune_modules(plan, tree, run); !r) return fail("assembling " + plan.role + ": " + r.error().message());
  return ok();
}

}  // namespace ingot::image
