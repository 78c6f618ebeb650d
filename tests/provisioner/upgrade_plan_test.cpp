// The upgrade engine's pure pieces: the plan (what n -> n+1 changes), the policy file, the
// drift check over a small tree, and the journal's round trip and refusal of broken files.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "provisioner/agent/upgrade_drift.h"
#include "provisioner/agent/upgrade_journal.h"
#include "imagebuilder/upgrade_plan.h"
#include "imagebuilder/upgrade_policy.h"
#include "tests/imagebuilder/manifest_entries.h"
#include "tests/support/test_support.h"

using namespace ingot::agent;
namespace image = ingot::image;
using ingot::image::Entry;
using ingot::image::EntryType;
using ingot::image::Manifest;
using ingot::image::test::dir;
using ingot::image::test::file;
using ingot::image::test::slink;

namespace {

Manifest manifest(std::string version, std::vector<Entry> entries, std::vector<std::string> keep = {}) {
  Manifest m;
  m.name = "demo";
  m.version = std::move(version);
  m.keep = std::move(keep);
  m.entries = std::move(entries);
  ingot::image::canonicalise(m);
  return m;
}
bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

Manifest v1() {
  return manifest("1", {dir("."), dir("etc"), dir("boot"), file("etc/app.conf", "v1"), file("etc/gone", "x"),
                        file("etc/hostname", "image"), slink("etc/link", "app.conf"), file("etc/tool", "t", 0755),
                        file("boot/vmlinuz", "k1"), dir("var"), dir("var/lib"), dir("var/lib/ingot"),
                        file("var/lib/ingot/x", "agent"), file("etc/net.conf", "image")},
                  {"etc/hostname"});
}
Manifest v2() {
  return manifest("2", {dir("."), dir("etc"), dir("boot"), file("etc/app.conf", "v2"), file("etc/new", "n"),
                        file("etc/hostname", "image-2"), slink("etc/link", "new"), file("etc/tool", "t", 0700),
                        file("boot/vmlinuz", "k1"), dir("var"), dir("var/lib"), dir("var/lib/ingot"),
                        file("var/lib/ingot/x", "other"), file("etc/net.conf", "image-2"), file("etc/same", "v2")},
                  {"etc/hostname"});
}

}  // namespace

TEST_CASE("plan: added, replaced, changed in place, removed; protected paths never") {
  auto from = v1(), to = v2();
  auto protect = image::protected_paths(from, to, {"/etc/net.conf"});
  auto plan = image::make_plan(from, to, {}, protect, image::UpgradePolicy{});
  CHECK(plan.added == std::vector<std::string>{"etc/new", "etc/same"});
  CHECK(has(plan.changed, "etc/app.conf"));
  CHECK(has(plan.changed, "etc/link"));
  CHECK(plan.meta == std::vector<std::string>{"etc/tool"});
  CHECK(plan.removed == std::vector<std::string>{"etc/gone"});
  for (auto* p : {"etc/hostname", "etc/net.conf", "var/lib/ingot/x", "var/lib/ingot"}) {
    CHECK_FALSE(has(plan.changed, p));
    CHECK_FALSE(has(plan.added, p));
    CHECK_FALSE(has(plan.removed, p));
  }
  // etc/app.conf and etc/same are both "v2": one object to stage.
  CHECK(plan.objects.size() == 2);
  CHECK(plan.bytes == 3);
  CHECK_FALSE(plan.reboot);
}

TEST_CASE("plan: reboot by the policy's prefixes; drift forces a replacement and keeps n's object") {
  auto from = v1(), to = v2();
  to.entries[2] = file("boot/vmlinuz", "k2");
  ingot::image::canonicalise(to);
  auto protect = image::protected_paths(from, to, {});
  auto plan = image::make_plan(from, to, {"etc/tool"}, protect, image::UpgradePolicy{});
  CHECK(plan.reboot);
  CHECK(has(plan.changed, "etc/tool"));
  REQUIRE(plan.rollback_objects.size() == 1);
  CHECK(plan.rollback_objects[0].path == "etc/tool");
  image::UpgradePolicy none;
  none.reboot_paths = {"/opt/"};
  CHECK_FALSE(image::make_plan(from, to, {}, protect, none).reboot);
  CHECK(image::make_plan(from, from, {}, protect, image::UpgradePolicy{}).empty());
}

TEST_CASE("upgrade.json: defaults, fields, and clear errors") {
  auto p = image::parse_upgrade_policy(R"({"pre": "/usr/lib/ingot/upgrade/pre", "reboot_paths": ["/boot/"]})");
  REQUIRE(p);
  CHECK(p->pre == "/usr/lib/ingot/upgrade/pre");
  CHECK(p->post.empty());
  CHECK(p->needs_reboot("boot/grub/grub.cfg"));
  CHECK_FALSE(p->needs_reboot("lib/modules/6.1/x.ko"));
  CHECK(image::UpgradePolicy{}.needs_reboot("usr/lib/modules/6.1/x.ko"));
  CHECK_FALSE(image::parse_upgrade_policy("[]"));
  CHECK_FALSE(image::parse_upgrade_policy(R"({"pre": "relative"})"));
  CHECK_FALSE(image::parse_upgrade_policy(R"({"reboot_paths": "/boot/"})"));
  CHECK_FALSE(image::parse_upgrade_policy(R"({"reboot_paths": [3]})"));
  auto e = image::parse_upgrade_policy("{");
  REQUIRE_FALSE(e);
  CHECK(e.error().message().find("upgrade.json") != std::string::npos);
}

TEST_CASE("drift: a quick metadata pass over the tree") {
  ingot::test::TempDir t;
  auto m = manifest("1", {dir("."), dir("etc"), file("etc/a", "aaa"), file("etc/b", "bb"), slink("etc/l", "a"),
                          file("etc/kept", "k")},
                    {"etc/kept"});
  auto root = t.path();
  std::filesystem::create_directories(root / "etc");
  auto put = [&](const char* p, const char* c) {
    std::ofstream(root / p) << c;
    chmod((root / p).c_str(), 0644);
    timespec ts[2] = {{1700000000, 0}, {1700000000, 0}};
    utimensat(AT_FDCWD, (root / p).c_str(), ts, AT_SYMLINK_NOFOLLOW);
  };
  put("etc/a", "aaa");
  put("etc/b", "bb");
  std::filesystem::create_symlink("a", root / "etc/l");
  timespec lts[2] = {{1700000000, 0}, {1700000000, 0}};
  utimensat(AT_FDCWD, (root / "etc/l").c_str(), lts, AT_SYMLINK_NOFOLLOW);
  chmod((root / "etc").c_str(), 0755);
  chmod(root.c_str(), 0755);
  ingot::image::KeepList keep(m.keep);
  CHECK(find_upgrade_drift(m, root, keep)->empty());  // etc/kept is missing, but it is the node's
  put("etc/b", "bX");                         // same size and mtime: the quick pass cannot see it
  CHECK(find_upgrade_drift(m, root, keep)->empty());
  put("etc/b", "bXX");
  std::filesystem::remove(root / "etc/l");
  std::filesystem::create_symlink("b", root / "etc/l");
  std::ofstream(root / "etc/extra") << "a log";  // the node's own file: not drift
  CHECK(*find_upgrade_drift(m, root, keep) == std::vector<std::string>{"etc/b", "etc/l"});
}

TEST_CASE("journal: round trip, and a broken journal is an error, not a crash") {
  ingot::test::TempDir t;
  UpgradeArea area(t.path());
  auto none = area.load();
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  UpgradeJournal j;
  j.state = upgrade_state::switching;
  j.from = "demo@1";
  j.to = "demo@2";
  j.rollout = 3;
  j.drifted = {"etc/a"};
  REQUIRE(area.save(j));
  auto back = area.load();
  REQUIRE(back);
  REQUIRE(back->has_value());
  CHECK((*back)->state == "switching");
  CHECK((*back)->rollout == 3);
  CHECK((*back)->drifted == std::vector<std::string>{"etc/a"});
  for (const char* bad : {"", "[]", "{\"state\": 1, \"from\": \"a\", \"to\": \"b\"}",
                          "{\"state\": \"x\", \"from\": \"a\", \"to\": \"b\", \"drifted\": [1]}"}) {
    std::ofstream(area.journal(), std::ios::trunc) << bad;
    CHECK_FALSE(area.load());
  }
}
