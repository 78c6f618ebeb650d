// The agent's disk steps against a recording runner (a fake at the process seam): what it
// would run, in which order, with which input. The real programs run in the QEMU tests.
#include <doctest/doctest.h>

#include <filesystem>

#include "provisioner/agent/bootloader.h"
#include "provisioner/agent/disk_setup.h"
#include "tests/support/test_support.h"

using namespace ingot;
using namespace ingot::agent;

namespace {
class RecordingRunner : public CommandRunner {
 public:
  std::vector<std::string> commands;
  std::vector<std::string> inputs;
  std::string fail_on;  // a program name that exits 1
  Result<CommandResult> run(const std::vector<std::string>& argv, const std::string& in, std::chrono::seconds) override {
    std::string cmd;
    for (auto& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
    commands.push_back(cmd);
    inputs.push_back(in);
    if (argv[0] == fail_on) return CommandResult{1, "boom: device busy"};
    if (argv[0] == "blkid") return CommandResult{0, "uuid-of-" + argv.back().substr(argv.back().rfind('/') + 1) + "\n"};
    return CommandResult{0, ""};
  }
};

hwmatch::Facts disks() {
  return {{"disk", "sda", "size", "960"}, {"disk", "sdb", "size", "240"}, {"disk", "sdc", "size", "1"},
          {"disk", "logical", "count", "3"}, {"disk", "sdd", "size", "120"}, {"disk", "sdd", "removable", "1"}};
}
}  // namespace

TEST_CASE("the install disk is the smallest fixed disk that fits, or the plan's choice") {
  auto d = choose_disk(disks(), "", minimum_disk_mib(default_partitions()));
  REQUIRE(d);
  CHECK(*d == "/dev/sdb");
  auto named = choose_disk(disks(), "/dev/sda", 0);
  REQUIRE(named);
  CHECK(*named == "/dev/sda");
  auto missing = choose_disk(disks(), "nvme0n1", 0);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message() == "plan asks for disk 'nvme0n1' but the machine has no such disk");
  auto none = choose_disk(disks(), "", 2'000'000);
  REQUIRE_FALSE(none);
}

TEST_CASE("partition device names follow the kernel's rule") {
  CHECK(partition_device("/dev/vda", 3) == "/dev/vda3");
  CHECK(partition_device("/dev/nvme0n1", 2) == "/dev/nvme0n1p2");
  CHECK(partition_device("/dev/loop0", 1) == "/dev/loop0p1");
}

TEST_CASE("role layouts are validated") {
  auto good = partitions_from_json(nlohmann::json::parse(
      R"([{"name":"bios","size_mib":1},{"name":"efi","size_mib":256,"fs":"vfat","mountpoint":"/boot/efi"},
          {"name":"root","size_mib":20480,"fs":"ext4","mountpoint":"/"},{"name":"data","fs":"ext4","mountpoint":"/var/lib/nova"}])"));
  REQUIRE_MESSAGE(good, (good ? "" : good.error().message()));
  CHECK(good->size() == 4);
  CHECK((*good)[1].type == "C12A7328-F81F-11D2-BA4B-00A0C93EC93B");
  struct Bad {
    const char* json;
    const char* error;
  } bad[] = {
      {R"([{"name":"root","fs":"ext4","mountpoint":"/"},{"name":"x","size_mib":1}])", "only the last partition"},
      {R"([{"name":"root","size_mib":10,"fs":"xfs","mountpoint":"/"}])", "is not ext4, vfat"},
      {R"([{"name":"a","size_mib":10,"fs":"ext4","mountpoint":"/var"}])", "exactly one partition must be mounted at /"},
      {R"([{"name":"root","fs":"ext4","mountpoint":"/../etc"}])", "without '..'"},
      {R"({"name":"root"})", "non-empty list"},
      {R"([{"name":"root","size_mib":-5,"fs":"ext4","mountpoint":"/"}])", "whole number"},
  };
  for (auto& b : bad) {
    auto r = partitions_from_json(nlohmann::json::parse(b.json));
    REQUIRE_FALSE(r);
    CHECK_MESSAGE(r.error().message().find(b.error) != std::string::npos, r.error().message());
  }
}

TEST_CASE("partitioning runs sfdisk with a GPT script, then mkfs per filesystem, and reads UUIDs") {
  test::TempDir dir;
  // Stand-in device nodes so the wait for partitions finds them.
  std::string disk = (dir / "vda").string();
  for (int i = 1; i <= 3; ++i) test::write_file(dir / ("vda" + std::to_string(i)), "");
  RecordingRunner run;
  auto prepared = partition_and_format(run, DiskLayout{disk, default_partitions()});
  REQUIRE_MESSAGE(prepared, (prepared ? "" : prepared.error().message()));
  CHECK(run.commands[1] == "sfdisk --quiet --wipe always " + disk);
  CHECK(run.inputs[1] ==
        "label: gpt\nsize=1MiB, type=21686148-6449-6E6F-744E-656564454649, name=\"bios\"\n"
        "size=256MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=\"efi\"\n"
        "type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=\"root\"\n");
  CHECK(prepared->root_uuid == "uuid-of-vda3");
  CHECK(prepared->uuids.at("efi") == "uuid-of-vda2");
  CHECK(prepared->uuids.count("bios") == 0);
  std::string tab = fstab(*prepared);
  CHECK(tab.find("UUID=uuid-of-vda3\t/\text4\terrors=remount-ro\t0\t1\n") != std::string::npos);
  CHECK(tab.find("UUID=uuid-of-vda2\t/boot/efi\tvfat\tumask=0077\t0\t2\n") != std::string::npos);

  RecordingRunner mounts;
  REQUIRE(mount_target(mounts, *prepared, dir / "target"));
  REQUIRE(mounts.commands.size() == 2);
  CHECK(mounts.commands[0] == "mount -t ext4 " + (dir / "vda3").string() + " " + (dir / "target").string());
  CHECK(mounts.commands[1].find("/target/boot/efi") != std::string::npos);
}

TEST_CASE("a failing mkfs names the device and carries the tool's words") {
  test::TempDir dir;
  for (int i = 1; i <= 3; ++i) test::write_file(dir / ("vda" + std::to_string(i)), "");
  RecordingRunner run;
  run.fail_on = "mke2fs";
  auto r = partition_and_format(run, DiskLayout{(dir / "vda").string(), default_partitions()});
  REQUIRE_FALSE(r);
  CHECK(r.error().message().find("format " + (dir / "vda3").string()) == 0);
  CHECK(r.error().message().find("boom: device busy") != std::string::npos);
}

TEST_CASE("the bootloader boots the image's newest kernel by root UUID, for BIOS and UEFI") {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "boot");
  for (auto v : {"6.1.0-9-amd64", "6.1.0-10-amd64"}) {
    test::write_file(dir / "boot" / (std::string("vmlinuz-") + v), "k");
    test::write_file(dir / "boot" / (std::string("initrd.img-") + v), "i");
  }
  auto e = find_boot_entry(dir.path());
  REQUIRE(e);
  CHECK(e->kernel == "/boot/vmlinuz-6.1.0-10-amd64");
  CHECK(e->initrd == "/boot/initrd.img-6.1.0-10-amd64");
  std::string cfg = grub_cfg(*e, "1234-abcd", "ro console=ttyS0");
  CHECK(cfg.find("search --no-floppy --fs-uuid --set=root 1234-abcd\n") != std::string::npos);
  CHECK(cfg.find("linux /boot/vmlinuz-6.1.0-10-amd64 root=UUID=1234-abcd ro console=ttyS0\n") != std::string::npos);

  RecordingRunner run;
  REQUIRE(install_bootloader(run, {dir.path(), "/dev/vda", "1234-abcd"}));
  REQUIRE(run.commands.size() == 2);
  CHECK(run.commands[0].find("grub-install --target=i386-pc") == 0);
  CHECK(run.commands[0].find(" /dev/vda") != std::string::npos);
  CHECK(run.commands[1].find("--target=x86_64-efi") != std::string::npos);
  CHECK(run.commands[1].find("--removable") != std::string::npos);
  CHECK(test::read_file(dir / "boot/grub/grub.cfg") == grub_cfg(*e, "1234-abcd", "ro console=ttyS0,115200 console=tty0"));

  test::TempDir assembled;
  std::filesystem::create_directories(assembled / "boot");
  test::write_file(assembled / "boot/vmlinuz-6.1.0-56-amd64", "k");
  test::write_file(assembled / "boot/initrd.img", "i");
  auto a = find_boot_entry(assembled.path());
  REQUIRE(a);
  CHECK(a->initrd == "/boot/initrd.img");

  test::TempDir empty;
  auto none = find_boot_entry(empty.path());
  REQUIRE_FALSE(none);
  CHECK(none.error().message().find("the image has no kernel") == 0);
}
