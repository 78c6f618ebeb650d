// The initramfs writer, checked by a real reader: GNU cpio extracts what we wrote.
#include <doctest/doctest.h>

#include <fstream>

#include "provisioner/ramdisk/cpio_writer.h"
#include "tests/support/test_support.h"

using namespace ingot;

TEST_CASE("GNU cpio extracts directories, files, modes and symlinks we wrote") {
  test::TempDir dir;
  ramdisk::CpioWriter w;
  w.directory("/etc");
  w.file("/etc/hostname", "node-1\n");
  w.file("/init", "#!/bin/sh\necho hi\n", 0755);
  w.directory("/bin");
  w.symlink("/bin/sh", "busybox");
  w.file("odd-length", "abc");  // exercises the 4-byte padding after name and data
  auto bytes = w.finish();
  CHECK(bytes.size() % 512 == 0);
  {
    std::ofstream out(dir / "a.cpio", std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  std::string out;
  int rc = test::run("cd " + (dir / "x").string() + " 2>/dev/null || mkdir " + (dir / "x").string() + " && cd " +
                         (dir / "x").string() + " && cpio -idm --quiet < ../a.cpio",
                     &out);
  REQUIRE_MESSAGE(rc == 0, out);
  CHECK(test::read_file(dir / "x/etc/hostname") == "node-1\n");
  CHECK(test::read_file(dir / "x/odd-length") == "abc");
  CHECK(std::filesystem::read_symlink(dir / "x/bin/sh") == "busybox");
  auto perms = std::filesystem::status(dir / "x/init").permissions();
  CHECK((perms & std::filesystem::perms::owner_exec) != std::filesystem::perms::none);
}
