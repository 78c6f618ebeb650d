// The dry-run estimate over hand-made manifests with a fake transfer cost: counts from the
// agent's own planner, bytes per staged content (a delta where the cost says one is stored),
// keep-list and agent-state paths left out, reboot by the target's policy, a bad policy refused.
#include <doctest/doctest.h>

#include "provisioner/rollout/upgrade_estimate.h"

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

// Each object costs 10 bytes; with deltas on, a changed file (a base at that path) costs 3.
struct Costs {
  bool deltas = false;
  int calls = 0;
  CostFn fn() {
    return [this](const Entry* base, const Entry&) {
      ++calls;
      if (deltas && base) return TransferCost{3, true};
      return TransferCost{10, false};
    };
  }
};

UpgradeEstimate est(const image::Manifest& a, const image::Manifest& b, Costs& c, std::string_view policy = "") {
  auto r = estimate_upgrade(a, b, policy, c.fn());
  REQUIRE(r);
  return *r;
}

}  // namespace

TEST_CASE("added, changed, removed, and each staged content priced once") {
  auto a = manifest({dir("etc"), file("etc/motd", 'a'), file("etc/old", 'b'), dir("usr"), file("usr/app", 'c')});
  auto b = manifest({dir("etc"), file("etc/motd", 'x'), file("etc/new", 'y'), file("etc/twin", 'y'), dir("usr"),
                     file("usr/app", 'c')});
  Costs c;
  auto e = est(a, b, c);
  CHECK(e.added == 2);    // new, twin
  CHECK(e.changed == 1);  // motd
  CHECK(e.removed == 1);  // old
  CHECK(e.objects == 2);  // x once, y once
  CHECK(e.bytes == 20);
  CHECK(e.content_bytes == 200);
  CHECK(e.deltas == 0);
  CHECK_FALSE(e.reboot);
}

TEST_CASE("a stored delta is priced for a changed file, whole objects for new paths") {
  auto a = manifest({file("app", 'a')});
  auto b = manifest({file("app", 'b'), file("fresh", 'c')});
  Costs c{true};
  auto e = est(a, b, c);
  CHECK(e.objects == 2);
  CHECK(e.deltas == 1);
  CHECK(e.bytes == 13);
}

TEST_CASE("keep-list paths and the agent's own state are not part of the estimate") {
  auto a = manifest({dir("etc"), file("etc/hostname", 'a'), dir("var"), dir("var/lib"), dir("var/lib/ingot"),
                     file("var/lib/ingot/ref", 'r')}, {"etc/hostname"});
  auto b = manifest({dir("etc"), file("etc/hostname", 'b'), dir("var"), dir("var/lib"), dir("var/lib/ingot"),
                     file("var/lib/ingot/ref", 's'), file("var/lib/ingotx", 'z')}, {"etc/hostname"});
  Costs c;
  auto e = est(a, b, c);
  CHECK(e.changed == 0);
  CHECK(e.added == 1);  // var/lib/ingotx is not the agent's directory
  CHECK(e.objects == 1);
}

TEST_CASE("reboot when a path under a reboot path changes, is added or removed") {
  auto base = manifest({dir("boot"), file("boot/vmlinuz", 'k'), dir("lib"), dir("lib/modules"), file("lib/modules/m.ko", 'm'),
                        file("app", 'a')});
  Costs c;
  auto app_only = manifest({dir("boot"), file("boot/vmlinuz", 'k'), dir("lib"), dir("lib/modules"),
                            file("lib/modules/m.ko", 'm'), file("app", 'b')});
  CHECK_FALSE(est(base, app_only, c).reboot);
  auto kernel = manifest({dir("boot"), file("boot/vmlinuz", 'K'), dir("lib"), dir("lib/modules"),
                          file("lib/modules/m.ko", 'm'), file("app", 'a')});
  auto e = est(base, kernel, c);
  CHECK(e.reboot);
  CHECK(e.reboot_because == std::vector<std::string>{"/boot/vmlinuz"});
  auto module_gone = manifest({dir("boot"), file("boot/vmlinuz", 'k'), dir("lib"), dir("lib/modules"), file("app", 'a')});
  CHECK(est(base, module_gone, c).reboot);
  // The image's own policy: only /opt/kernel/ reboots.
  CHECK_FALSE(est(base, kernel, c, R"({"reboot_paths": ["/opt/kernel/"]})").reboot);
}

TEST_CASE("a policy the agent would refuse is an error that names the file") {
  auto a = manifest({file("app", 'a')});
  Costs c;
  auto r = estimate_upgrade(a, a, "not json", c.fn());
  REQUIRE_FALSE(r);
  CHECK(r.error().message().find("upgrade.json") != std::string::npos);
  CHECK_FALSE(estimate_upgrade(a, a, R"({"reboot_paths": "/boot/"})", c.fn()));
}

TEST_CASE("the same image estimates nothing") {
  auto a = manifest({file("app", 'a')});
  Costs c;
  auto e = est(a, a, c);
  CHECK(e.added + e.changed + e.removed + e.objects == 0);
  CHECK(c.calls == 0);
}
