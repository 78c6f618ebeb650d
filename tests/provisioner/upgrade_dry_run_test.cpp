// The dry-run planner over hand-made manifests with a fake transfer cost: counts, bytes of
// distinct new contents only, keep-list and agent-state paths left out, reboot by policy.
#include <doctest/doctest.h>

#include "provisioner/rollout/upgrade_plan.h"

using namespace ingot;
using namespace ingot::rollout;
using image::Entry;
using image::EntryType;

namespace {

image::Digest digest_of(char c) {
  image::Digest d{};
  d.bytes.fill(static_cast<std::uint8_t>(c));
  return d;
}

Entry file(const std::string& path, char content, std::uint64_t size = 100) {
  Entry e;
  e.path = path;
  e.type = EntryType::file;
  e.mode = 0644;
  e.size = size;
  e.sha256 = digest_of(content);
  return e;
}
Entry dir(const std::string& path) {
  Entry e;
  e.path = path;
  e.type = EntryType::dir;
  e.mode = 0755;
  return e;
}

image::Manifest manifest(std::vector<Entry> entries, std::vector<std::string> keep = {}) {
  image::Manifest m;
  m.name = "tiny";
  m.version = "1";
  entries.insert(entries.begin(), dir("."));
  m.entries = std::move(entries);
  m.keep = std::move(keep);
  image::canonicalise(m);
  return m;
}

// Each object costs 10 bytes; a delta (when the base is given) 3.
struct Costs {
  bool deltas = false;
  int calls = 0;
  CostFn fn() {
    return [this](const image::Digest* base, const image::Digest&) {
      ++calls;
      if (deltas && base) return TransferCost{3, true};
      return TransferCost{10, false};
    };
  }
};

}  // namespace

TEST_CASE("added, changed, removed; bytes only for contents the node lacks") {
  auto a = manifest({dir("etc"), file("etc/motd", 'a'), file("etc/old", 'b'), dir("usr"), file("usr/app", 'c')});
  auto b = manifest({dir("etc"), file("etc/motd", 'x'), file("etc/new", 'y'), file("etc/copy", 'c'), file("etc/twin", 'y'),
                     dir("usr"), file("usr/app", 'c')});
  Costs c;
  auto p = plan_upgrade(a, b, c.fn(), kDefaultRebootPaths);
  CHECK(p.added == 3);    // new, copy, twin
  CHECK(p.changed == 1);  // motd
  CHECK(p.removed == 1);  // old
  // x and y are fetched once each; c is already on the node (usr/app).
  CHECK(p.objects == 2);
  CHECK(p.bytes == 20);
  CHECK(p.content_bytes == 200);
  CHECK_FALSE(p.reboot);
}

TEST_CASE("a stored delta is priced for a changed file") {
  auto a = manifest({file("app", 'a')});
  auto b = manifest({file("app", 'b'), file("fresh", 'c')});
  Costs c{true};
  auto p = plan_upgrade(a, b, c.fn(), kDefaultRebootPaths);
  CHECK(p.objects == 2);
  CHECK(p.deltas == 1);
  CHECK(p.bytes == 13);  // delta 3 for app, whole 10 for fresh (no base)
}

TEST_CASE("keep-list paths and the agent's own state are not part of the plan") {
  auto a = manifest({dir("etc"), file("etc/hostname", 'a'), dir("var"), dir("var/lib"), dir("var/lib/ingot"),
                     file("var/lib/ingot/ref", 'r')}, {"etc/hostname"});
  auto b = manifest({dir("etc"), file("etc/hostname", 'b'), dir("var"), dir("var/lib"), dir("var/lib/ingot"),
                     file("var/lib/ingot/ref", 's'), file("var/lib/ingotx", 'z')}, {"etc/hostname"});
  Costs c;
  auto p = plan_upgrade(a, b, c.fn(), kDefaultRebootPaths);
  CHECK(p.changed == 0);
  CHECK(p.added == 1);  // var/lib/ingotx is not the agent's directory
  CHECK(p.objects == 1);
}

TEST_CASE("reboot when a path under a reboot path changes, is added or removed") {
  auto base = manifest({dir("boot"), file("boot/vmlinuz", 'k'), dir("lib"), dir("lib/modules"), file("lib/modules/m.ko", 'm'),
                        file("app", 'a')});
  Costs c;
  auto app_only = manifest({dir("boot"), file("boot/vmlinuz", 'k'), dir("lib"), dir("lib/modules"),
                            file("lib/modules/m.ko", 'm'), file("app", 'b')});
  CHECK_FALSE(plan_upgrade(base, app_only, c.fn(), kDefaultRebootPaths).reboot);
  auto kernel = manifest({dir("boot"), file("boot/vmlinuz", 'K'), dir("lib"), dir("lib/modules"),
                          file("lib/modules/m.ko", 'm'), file("app", 'a')});
  auto p = plan_upgrade(base, kernel, c.fn(), kDefaultRebootPaths);
  CHECK(p.reboot);
  CHECK(p.reboot_because == std::vector<std::string>{"/boot/vmlinuz"});
  auto module_gone = manifest({dir("boot"), file("boot/vmlinuz", 'k'), dir("lib"), dir("lib/modules"), file("app", 'a')});
  CHECK(plan_upgrade(base, module_gone, c.fn(), kDefaultRebootPaths).reboot);
  // The image's own policy: only /opt/kernel/ reboots.
  auto paths = reboot_paths_from(R"({"reboot_paths": ["/opt/kernel/"]})");
  CHECK_FALSE(plan_upgrade(base, kernel, c.fn(), paths).reboot);
}

TEST_CASE("reboot_paths: the default unless the policy names some") {
  CHECK(reboot_paths_from("") == kDefaultRebootPaths);
  CHECK(reboot_paths_from("not json") == kDefaultRebootPaths);
  CHECK(reboot_paths_from(R"({"pre": "/x"})") == kDefaultRebootPaths);
  CHECK(reboot_paths_from(R"({"reboot_paths": "/boot/"})") == kDefaultRebootPaths);
  CHECK(reboot_paths_from(R"({"reboot_paths": []})").empty());
  CHECK(reboot_paths_from(R"({"reboot_paths": ["/boot/", 3, ""]})") == std::vector<std::string>{"/boot/"});
}

TEST_CASE("the same image plans nothing") {
  auto a = manifest({file("app", 'a')});
  Costs c;
  auto p = plan_upgrade(a, a, c.fn(), kDefaultRebootPaths);
  CHECK(p.added + p.changed + p.removed + p.objects == 0);
  CHECK(c.calls == 0);
}
