// normalise_tree and release_date (build_stages.h): remove what makes two builds of the same
// recipe differ (or what must be unique per node): caches, logs, machine-id, ssh host keys,
// backup files, the build host's name; pin shadow's "last changed" day to SOURCE_DATE_EPOCH.
// Mtimes are clamped later, by the scan. Never follows a symlink: var/run -> /run must not
// lead a build into the host's /run.
#include <fnmatch.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "imagebuilder/build_stages.h"
#include "imagebuilder/file_io.h"

namespace ingot::image {
namespace {

namespace fs = std::filesystem;

// Removed wherever they match (whole subtrees for directories).
const std::vector<std::string> kDropAlways{
    "var/cache/apt/*.bin", "var/cache/apt/archives/*.deb", "var/cache/apt/archives/partial/*",
    "var/lib/apt/lists/*_*", "var/lib/apt/lists/lock", "var/lib/apt/lists/partial/*",
    "var/cache/debconf/*-old", "var/lib/dpkg/*-old", "var/cache/ldconfig/aux-cache", "var/cache/man/*",
    "etc/passwd-", "etc/group-", "etc/shadow-", "etc/gshadow-", "etc/subuid-", "etc/subgid-",
    "etc/ssh/ssh_host_*", "var/lib/dbus/machine-id", "var/lib/systemd/random-seed", "var/lib/systemd/catalog/database",
    "tmp/*", "var/tmp/*", "run/*", "root/.bash_history", "debootstrap"};

constexpr std::size_t kMaxShadow = 4 << 20;

bool matches(const std::vector<std::string>& patterns, const std::string& rel) {
  for (auto& p : patterns)
    if (::fnmatch(p.c_str(), rel.c_str(), FNM_PATHNAME) == 0) return true;
  return false;
}

// Walks with lstat; removes matches (not descending into them) and, under var/log, regular
// files only: services expect their log directories (with their owners) to exist.
void drop_walk(const fs::path& tree, const std::string& rel, const std::vector<std::string>& patterns, std::size_t& removed) {
  fs::path dir = rel.empty() ? tree : tree / rel;
  std::error_code ec;
  std::vector<fs::directory_entry> children;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) children.push_back(*it);
  for (auto& c : children) {
    std::string child = (rel.empty() ? "" : rel + "/") + c.path().filename().string();
    auto st = c.symlink_status(ec);
    bool in_log = child.starts_with("var/log/");
    if (matches(patterns, child) || (in_log && fs::is_regular_file(st))) {
      removed += fs::remove_all(c.path(), ec);
      continue;
    }
    if (fs::is_directory(st)) drop_walk(tree, child, patterns, removed);
  }
}

Result<void> pin_shadow_dates(const fs::path& file, std::int64_t source_date) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return ok();
  auto text = read_file_limited(file, kMaxShadow);
  if (!text) return fail(text.error());
  std::string day = std::to_string(source_date / 86400), out;
  std::istringstream in(*text);
  for (std::string line; std::getline(in, line);) {
    // name:password:lastchg:... — only a set lastchg is pinned; empty means "no aging".
    auto a = line.find(':'), b = a == std::string::npos ? a : line.find(':', a + 1);
    auto c = b == std::string::npos ? b : line.find(':', b + 1);
    if (c != std::string::npos && c > b + 1) line = line.substr(0, b + 1) + day + line.substr(c);
    out += line + "\n";
  }
  struct stat st {};
  ::stat(file.c_str(), &st);
  if (auto r = write_file_atomic(file, out, st.st_mode & 07777); !r) return r;
  if (::chown(file.c_str(), st.st_uid, st.st_gid) != 0) return errno_error("cannot chown", file);
  return ok();
}

}  // namespace

std::optional<std::int64_t> release_date(const fs::path& tree) {
  std::error_code ec;
  std::optional<std::int64_t> newest;
  for (fs::directory_iterator it(tree / "var/lib/apt/lists", ec), end; !ec && it != end; it.increment(ec)) {
    auto name = it->path().filename().string();
    if (!name.ends_with("_InRelease") && !name.ends_with("_Release")) continue;
    std::ifstream in(it->path());
    for (std::string line; std::getline(in, line);) {
      if (!line.starts_with("Date: ")) continue;
      struct tm tm {};
      if (!::strptime(line.c_str() + 6, "%a, %d %b %Y %H:%M:%S", &tm)) break;
      std::int64_t t = ::timegm(&tm);
      if (!newest || t > *newest) newest = t;
      break;
    }
  }
  return newest;
}

Result<void> normalise_tree(const BuildPlan& plan, const fs::path& tree, std::int64_t source_date) {
  std::vector<std::string> patterns = kDropAlways;
  patterns.insert(patterns.end(), plan.drop.begin(), plan.drop.end());
  std::size_t removed = 0;
  drop_walk(tree, "", patterns, removed);
  std::error_code ec;
  // Empty, not absent: systemd then generates a fresh id on the node's first boot.
  if (fs::exists(tree / "etc/machine-id", ec) || fs::exists(tree / "etc/systemd", ec))
    if (auto r = write_file_atomic(tree / "etc/machine-id", "", 0444); !r) return r;
  // debootstrap copies the build host's name; nodes get theirs from the keep list / config.
  if (fs::exists(tree / "etc/hostname", ec))
    if (auto r = write_file_atomic(tree / "etc/hostname", "localhost\n"); !r) return r;
  return pin_shadow_dates(tree / "etc/shadow", source_date);
}

}  // namespace ingot::image
