// A program from the build host carried into a role tree with its libraries (recipes with
// "ingot_agent", the tiny role): ldd's output read right, the libraries and the loader copied,
// the tree's own libraries left alone, nothing written outside the tree, clear errors.
#include <doctest/doctest.h>

#include "imagebuilder/host_program_install.h"
#include "imagebuilder/recipe.h"
#include "imagebuilder/shared_libraries.h"
#include "tests/support/test_support.h"

using namespace ingot::image;
using ingot::LoggedRunner;
namespace fs = std::filesystem;
using ingot::test::TempDir;
using ingot::test::write_file;

namespace {
LoggedRunner runner(const TempDir& dir) { return LoggedRunner(dir / "build.log", {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"}); }
}  // namespace

TEST_CASE("ldd output: libraries, the loader, no vDSO, unresolved names apart") {
  auto libs = parse_ldd_output(
      "\tlinux-vdso.so.1 (0x00007ffd5a1f2000)\n"
      "\tlibcurl.so.4 => /lib/x86_64-linux-gnu/libcurl.so.4 (0x00007f0e1c000000)\n"
      "\tlibgone.so.2 => not found\n"
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f0e1c400000)\n");
  REQUIRE(libs.paths.size() == 2);
  CHECK(libs.paths[0] == "/lib/x86_64-linux-gnu/libcurl.so.4");
  CHECK(libs.paths[1] == "/lib64/ld-linux-x86-64.so.2");
  REQUIRE(libs.missing.size() == 1);
  CHECK(libs.missing[0] == "libgone.so.2");
  CHECK(parse_ldd_output("\tnot a dynamic executable\n").paths.empty());
  CHECK(parse_ldd_output("").paths.empty());
}

TEST_CASE("a host program lands with its libraries and loader; the tree's own libraries stay") {
  TempDir dir;
  fs::path tree = dir / "tree";
  fs::path program = "/usr/bin/env";  // coreutils: dynamically linked against libc only
  auto libs = shared_libraries_of(program);
  REQUIRE_FALSE(libs.paths.empty());
  // The tree already has its own libc (a debootstrap tree): it must not be replaced.
  std::string libc;
  for (auto& l : libs.paths)
    if (l.find("libc.so") != std::string::npos) libc = l;
  REQUIRE_FALSE(libc.empty());
  write_file(tree / fs::path(libc).relative_path(), "the tree's own libc");
  auto r = install_host_program(program, tree, "usr/bin/carried", runner(dir));
  REQUIRE_MESSAGE(r, r.error().message());
  CHECK(r->libraries_kept == 1);
  CHECK(r->libraries_added == libs.paths.size() - 1);
  CHECK(fs::is_regular_file(tree / "usr/bin/carried"));
  CHECK((fs::status(tree / "usr/bin/carried").permissions() & fs::perms::owner_exec) != fs::perms::none);
  for (auto& l : libs.paths) CHECK(fs::is_regular_file(tree / fs::path(l).relative_path()));
  CHECK(ingot::test::read_file(tree / fs::path(libc).relative_path()) == "the tree's own libc");
}

TEST_CASE("a destination that leaves the tree through a symlink is refused, nothing written outside") {
  TempDir dir;
  fs::path tree = dir / "tree", outside = dir / "outside";
  fs::create_directories(tree / "usr");
  fs::create_directories(outside);
  fs::create_directory_symlink(outside, tree / "usr/bin");  // absolute: resolves on the host
  auto r = install_host_program("/usr/bin/env", tree, "usr/bin/carried", runner(dir));
  REQUIRE_FALSE(r);
  CHECK(r.error().message().find("outside the tree") != std::string::npos);
  CHECK(fs::is_empty(outside));
  CHECK_FALSE(install_host_program("/usr/bin/env", tree, "../escape", runner(dir)));
}

TEST_CASE("a missing program is an error naming it") {
  TempDir dir;
  auto r = install_host_program(dir / "no-such-agent", dir / "tree", kAgentPathInTree, runner(dir));
  REQUIRE_FALSE(r);
  CHECK(r.error().message().find("no-such-agent") != std::string::npos);
}

TEST_CASE("recipe: ingot_agent is a boolean any layer may set") {
  TempDir dir;
  write_file(dir / "base/recipe.json", R"({"method":"assemble"})");
  write_file(dir / "leaf/recipe.json", R"({"parent":"base","ingot_agent":true})");
  auto plan = load_build_plan(dir / "leaf");
  REQUIRE_MESSAGE(plan, plan.error().message());
  CHECK(plan->ingot_agent);
  auto base = load_build_plan(dir / "base");
  REQUIRE(base);
  CHECK_FALSE(base->ingot_agent);
  write_file(dir / "bad/recipe.json", R"({"ingot_agent":"yes"})");
  auto bad = load_build_plan(dir / "bad");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message().find("ingot_agent") != std::string::npos);
  CHECK(bad.error().message().find("bad/recipe.json") != std::string::npos);
}

TEST_CASE("ldd runs without a shell: a program whose name has a quote and a space still resolves") {
  TempDir dir;
  fs::path odd = dir / "it's -env";
  fs::copy_file("/usr/bin/env", odd);
  auto libs = shared_libraries_of(odd);
  CHECK(libs.paths == shared_libraries_of("/usr/bin/env").paths);
  CHECK_FALSE(libs.paths.empty());
}
