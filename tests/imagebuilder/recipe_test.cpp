// Recipe chains: layering, inheritance of root-only settings, keep lists, declared ids, and
// clear errors naming the file and field.
#include <doctest/doctest.h>

#include <algorithm>

#include "imagebuilder/keep_list.h"
#include "imagebuilder/recipe.h"
#include "tests/support/test_support.h"

using namespace ingot::image;
namespace fs = std::filesystem;
using ingot::test::TempDir;
using ingot::test::write_file;

TEST_CASE("a three-layer chain resolves root first with merged keep lists and accounts") {
  TempDir dir;
  write_file(dir / "base/recipe.json", R"({"suite":"bookworm","variant":"minbase","packages":["openssh-server"],
    "keep":["/etc/hostname","/etc/ssh/ssh_host_*"],"groups":[{"name":"ingot","gid":900}]})");
  write_file(dir / "common/recipe.json", R"({"parent":"base","packages":["python3"],"keep":["/var/lib/ingot/"],
    "hooks":["hooks/10-x.sh"]})");
  write_file(dir / "common/hooks/10-x.sh", "#!/bin/sh\n");
  fs::create_directories(dir / "compute/overlay/etc");
  write_file(dir / "compute/recipe.json", R"({"parent":"common","version":"2026.1","packages":["nova-compute"],
    "remove":["nano"],"groups":[{"name":"nova","gid":64060}],
    "users":[{"name":"nova","uid":64060,"gid":64060,"home":"/var/lib/nova","groups":["ingot"]}]})");
  auto plan = load_build_plan(dir / "compute");
  REQUIRE_MESSAGE(plan, plan.error().message());
  CHECK(plan->role == "compute");
  CHECK(plan->version == "2026.1");
  REQUIRE(plan->layers.size() == 3);
  CHECK(plan->layers[0].role == "base");
  CHECK(plan->layers[2].role == "compute");
  CHECK(plan->layers[2].overlay.has_value());
  CHECK(plan->layers[1].hooks.size() == 1);
  CHECK(plan->keep == std::vector<std::string>{"etc/hostname", "etc/ssh/ssh_host_*", "var/lib/ingot"});
  CHECK(plan->users.at(0).uid == 64060);
  CHECK(plan->groups.size() == 2);
}

TEST_CASE("recipe errors name the file and the field") {
  TempDir dir;
  auto expect = [&](const std::string& role, const std::string& recipe, const std::string& why) {
    write_file(dir / role / "recipe.json", recipe);
    auto plan = load_build_plan(dir / role);
    REQUIRE_MESSAGE(!plan, "accepted: " << recipe);
    CHECK_MESSAGE(plan.error().message().find(why) != std::string::npos, plan.error().message());
    CHECK(plan.error().message().find("recipe") != std::string::npos);
  };
  expect("a", R"({"pakages":["x"]})", "unknown field 'pakages'");
  expect("b", R"({"packages":"x"})", "'packages' must be an array");
  expect("c", R"({"packages":["Bad Name"]})", "not a Debian package name");
  expect("d", R"({"parent":"nothere"})", "nothere");
  write_file(dir / "base/recipe.json", R"({"suite":"bookworm"})");
  expect("e", R"({"parent":"base","suite":"trixie"})", "only be set by the root recipe");
  expect("f", R"({"hooks":["missing.sh"]})", "does not exist");
  expect("g", R"({"keep":["../etc"]})", "'..' component");
  expect("h", R"({"users":[{"name":"x","uid":5,"gid":77}]})", "no recipe declares");
  expect("i", R"({"groups":[{"name":"a","gid":5},{"name":"b","gid":5}]})", "declare group");
  expect("j", R"({"method":"magic"})", "debootstrap");
  expect("k", "not json", "not a JSON object");
  write_file(dir / "loop1/recipe.json", R"({"parent":"loop2"})");
  expect("loop2", R"({"parent":"loop1"})", "loop");
}

TEST_CASE("keep list matching: globs stay within a component, directories keep their subtree") {
  KeepList k({"etc/hostname", "etc/ssh/ssh_host_*", "var/lib/nova"});
  CHECK(k.keeps("etc/hostname"));
  CHECK(k.keeps("etc/ssh/ssh_host_rsa_key"));
  CHECK_FALSE(k.keeps("etc/ssh/sshd_config"));
  CHECK(k.keeps("var/lib/nova/instances/x/disk"));
  CHECK_FALSE(k.keeps("var/lib/novaX"));
  CHECK_FALSE(k.keeps("etc"));
  CHECK(normalise_keep_pattern("/etc/network/interfaces.d/").value() == "etc/network/interfaces.d");
  CHECK_FALSE(normalise_keep_pattern("/"));
}

TEST_CASE("every role in roles/ resolves to a build plan") {
  fs::path roles = ingot::test::env_or("INGOT_SOURCE_DIR", ".") + std::string("/roles");
  std::size_t n = 0;
  for (auto& d : fs::directory_iterator(roles)) {
    if (!fs::exists(d.path() / "recipe.json")) continue;
    auto plan = load_build_plan(d.path());
    CHECK_MESSAGE(plan, d.path().filename().string() << ": " << plan.error().message());
    ++n;
  }
  CHECK(n >= 8);  // base, openstack-common, controller, compute, network, storage, install-server, tiny
  auto compute = load_build_plan(roles / "compute").value();
  CHECK(compute.layers.front().role == "base");
  CHECK(compute.layers.back().role == "compute");
  CHECK(std::find(compute.keep.begin(), compute.keep.end(), "etc/ssh/ssh_host_*") != compute.keep.end());
  auto tiny = load_build_plan(roles / "tiny").value();
  CHECK(tiny.method == BuildMethod::assemble);
  CHECK(tiny.initramfs.has_value());
}
