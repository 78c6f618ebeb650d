// create_accounts (build_stages.h): groups and users with the ids the recipes declare, written
// straight into etc/group, etc/gshadow, etc/passwd, etc/shadow before packages install, so a
// package's `adduser --system` finds them and every node of every build agrees on ownership.
// Editing the files (not useradd) also works for trees without the passwd package (tiny).
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>

#include "imagebuilder/build_stages.h"
#include "imagebuilder/file_io.h"

namespace ingot::image {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxAccountFile = 4 << 20;

struct Table {
  fs::path path;
  std::vector<std::vector<std::string>> rows;  // colon-separated fields
};

Result<Table> load(const fs::path& path) {
  Table t{path, {}};
  std::error_code ec;
  if (!fs::exists(path, ec)) return t;
  auto text = read_file_limited(path, kMaxAccountFile);
  if (!text) return fail(text.error());
  std::istringstream in(*text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::size_t start = 0;
    for (std::size_t c; (c = line.find(':', start)) != std::string::npos; start = c + 1) f.push_back(line.substr(start, c - start));
    f.push_back(line.substr(start));
    t.rows.push_back(std::move(f));
  }
  return t;
}

// Keeps the file's owner (shadow is root:shadow) across the atomic replace.
Result<void> save(const Table& t, mode_t mode) {
  std::string out;
  for (auto& r : t.rows) {
    for (std::size_t i = 0; i < r.size(); ++i) out += (i ? ":" : "") + r[i];
    out += "\n";
  }
  struct stat st {};
  bool existed = ::stat(t.path.c_str(), &st) == 0;
  if (auto r = write_file_atomic(t.path, out, existed ? (st.st_mode & 07777) : mode); !r) return r;
  if (existed && ::chown(t.path.c_str(), st.st_uid, st.st_gid) != 0) return errno_error("cannot chown", t.path);
  return ok();
}

std::vector<std::string>* find(Table& t, const std::string& name) {
  for (auto& r : t.rows)
    if (!r.empty() && r[0] == name) return &r;
  return nullptr;
}

// Adds row unless the name exists; an existing name with another id (field 2) is an error.
Result<void> ensure(Table& t, std::vector<std::string> row, bool check_id) {
  if (auto* have = find(t, row[0])) {
    if (check_id && have->size() > 2 && (*have)[2] != row[2])
      return fail(t.path.string() + ": " + row[0] + " already exists with id " + (*have)[2] + ", the recipe says " + row[2]);
    return ok();
  }
  if (check_id)
    for (auto& r : t.rows)
      if (r.size() > 2 && r[2] == row[2])
        return fail(t.path.string() + ": id " + row[2] + " (for " + row[0] + ") is already taken by " + r[0]);
  t.rows.push_back(std::move(row));
  return ok();
}

}  // namespace

Result<void> create_accounts(const BuildPlan& plan, const fs::path& tree, const LoggedRunner&) {
  if (plan.groups.empty() && plan.users.empty()) return ok();
  auto group = load(tree / "etc/group"), gshadow = load(tree / "etc/gshadow");
  auto passwd = load(tree / "etc/passwd"), shadow = load(tree / "etc/shadow");
  for (auto* t : {&group, &gshadow, &passwd, &shadow})
    if (!*t) return fail(t->error());
  for (auto& g : plan.groups) {
    if (auto r = ensure(*group, {g.name, "x", std::to_string(g.gid), ""}, true); !r) return r;
    if (auto r = ensure(*gshadow, {g.name, "!", "", ""}, false); !r) return r;
  }
  for (auto& u : plan.users) {
    if (auto r = ensure(*passwd, {u.name, "x", std::to_string(u.uid), std::to_string(u.gid), "", u.home, u.shell}, true); !r) return r;
    // Locked password, no aging: system accounts are reached by sudo/ssh keys, never passwords.
    if (auto r = ensure(*shadow, {u.name, "!", "", "", "", "", "", "", ""}, false); !r) return r;
    for (auto& sup : u.groups) {
      auto* g = find(*group, sup);
      if (!g) continue;  // created by a package later: the builder calls this again after the layers
      auto& members = g->back();
      if (("," + members + ",").find("," + u.name + ",") == std::string::npos) members += (members.empty() ? "" : ",") + u.name;
    }
  }
  if (auto r = save(*group, 0644); !r) return r;
  if (auto r = save(*gshadow, 0640); !r) return r;
  if (auto r = save(*passwd, 0644); !r) return r;
  return save(*shadow, 0640);
}

}  // namespace ingot::image
