// debootstrap_base (build_stages.h). The download is cached as a debootstrap tarball keyed by
// the suite's InRelease: the same archive state reuses it (debootstrap still installs from it,
// every build), a newer archive makes a new one.
#include <unistd.h>

#include "imagebuilder/build_stages.h"
#include "imagebuilder/digest.h"

namespace ingot::image {
namespace {

namespace fs = std::filesystem;

std::string join(const std::vector<std::string>& v, char sep) {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : std::string(1, sep)) + x;
  return s;
}

}  // namespace

Result<void> debootstrap_base(const BuildPlan& plan, const std::string& mirror, const fs::path& tree, const fs::path& cache,
                              const LoggedRunner& run) {
  fs::path cache_dir = fs::absolute(cache);  // debootstrap insists on absolute tarball paths
  std::error_code ec;
  fs::create_directories(cache_dir, ec);
  if (ec) return fail(ec, "cannot create build cache " + cache_dir.string() + ": " + ec.message());
  auto release = run.capture({"curl", "-fsS", "--max-time", "60", mirror + "/dists/" + plan.suite + "/InRelease"});
  if (!release) return fail("cannot reach the mirror " + mirror + " for suite " + plan.suite + ": " + release.error().message());
  std::string key = sha256(plan.suite + "|" + plan.variant + "|" + mirror + "|" + join(plan.components, ',') + "|" + *release).hex();
  fs::path tarball = cache_dir / ("debootstrap-" + plan.suite + "-" + plan.variant + "-" + key.substr(0, 16) + ".tgz");
  std::vector<std::string> common{"debootstrap", "--variant=" + plan.variant, "--components=" + join(plan.components, ','),
                                  "--merged-usr"};
  if (!fs::exists(tarball)) {
    fs::path dl = cache_dir / ("download." + std::to_string(::getpid()));
    fs::path tmp = tarball.string() + ".tmp." + std::to_string(::getpid());
    auto args = common;
    args.insert(args.end(), {"--make-tarball=" + tmp.string(), plan.suite, dl.string(), mirror});
    auto r = run.run(args);
    fs::remove_all(dl, ec);
    if (!r) {
      fs::remove(tmp, ec);
      return fail("debootstrap download failed: " + r.error().message());
    }
    fs::rename(tmp, tarball, ec);
    if (ec) return fail(ec, "cannot store " + tarball.string() + ": " + ec.message());
  }
  auto args = common;
  args.insert(args.end(), {"--unpack-tarball=" + tarball.string(), plan.suite, tree.string(), mirror});
  if (auto r = run.run(args); !r) return fail("debootstrap failed: " + r.error().message());
  return ok();
}

}  // namespace ingot::image
