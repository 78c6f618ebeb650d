// The one initramfs writer, checked by real readers: GNU cpio extracts what CpioWriter wrote,
// and zstd + cpio read pack_initramfs's output back to the tree it packed, the same bytes twice.
#include <doctest/doctest.h>

#include <filesystem>

#include "imagebuilder/cpio_writer.h"
#include "imagebuilder/initramfs_pack.h"
#include "tests/support/test_support.h"

using namespace ingot;
namespace fs = std::filesystem;

namespace {
// Extracts archive (through zstd -dc when compressed) into dir/x; cpio's exit code.
int extract(const test::TempDir& dir, const fs::path& archive, bool compressed, std::string* out) {
  fs::create_directories(dir / "x");
  std::string reader = compressed ? "zstd -qdc " + archive.string() + " | " : "";
  std::string cpio = "cpio -idm --quiet" + std::string(compressed ? "" : " < " + archive.string());
  return test::run("cd " + (dir / "x").string() + " && " + reader + cpio, out);
}
}  // namespace

TEST_CASE("GNU cpio extracts directories, files, modes and symlinks we wrote") {
  test::TempDir dir;
  image::CpioWriter w;
  w.directory("/etc");
  w.file("/etc/hostname", "node-1\n");
  w.file("/init", "#!/bin/sh\necho hi\n", 0755);
  w.directory("/bin");
  w.symlink("/bin/sh", "busybox");
  w.file("odd-length", "abc");  // exercises the 4-byte padding after name and data
  auto bytes = w.finish();
  REQUIRE(bytes);
  CHECK(bytes->size() % 512 == 0);
  test::write_file(dir / "a.cpio", *bytes);
  std::string out;
  REQUIRE_MESSAGE(extract(dir, dir / "a.cpio", false, &out) == 0, out);
  CHECK(test::read_file(dir / "x/etc/hostname") == "node-1\n");
  CHECK(test::read_file(dir / "x/odd-length") == "abc");
  CHECK(fs::read_symlink(dir / "x/bin/sh") == "busybox");
  auto perms = fs::status(dir / "x/init").permissions();
  CHECK((perms & fs::perms::owner_exec) != fs::perms::none);
}

TEST_CASE("pack_initramfs: a zstd newc archive of the tree, times clamped, the same bytes every time") {
  test::TempDir dir;
  fs::create_directories(dir / "tree/bin");
  test::write_file(dir / "tree/init", "#!/bin/sh\nexec /bin/sh\n");
  fs::permissions(dir / "tree/init", fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
  test::write_file(dir / "tree/bin/busybox", std::string(5000, 'b'));
  fs::create_symlink("busybox", dir / "tree/bin/sh");
  constexpr std::int64_t kEpoch = 1700000000;
  REQUIRE(image::pack_initramfs(dir / "tree", dir / "a.img", kEpoch));
  REQUIRE(image::pack_initramfs(dir / "tree", dir / "b.img", kEpoch));
  CHECK(test::read_file(dir / "a.img") == test::read_file(dir / "b.img"));
  std::string out;
  REQUIRE_MESSAGE(extract(dir, dir / "a.img", true, &out) == 0, out);
  CHECK(test::read_file(dir / "x/init") == "#!/bin/sh\nexec /bin/sh\n");
  CHECK(test::read_file(dir / "x/bin/busybox") == std::string(5000, 'b'));
  CHECK(fs::read_symlink(dir / "x/bin/sh") == "busybox");
  CHECK((fs::status(dir / "x/init").permissions() & fs::perms::owner_exec) != fs::perms::none);
  auto mtime = fs::last_write_time(dir / "x/bin/busybox");
  CHECK(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::file_clock::to_sys(mtime).time_since_epoch()).count() ==
        kEpoch);  // the files are newer: clamped
}
