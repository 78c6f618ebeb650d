// Detection on captured fixture trees (golden facts), on the live machine, and through the
// `ingot-agent detect` command.
#include <doctest/doctest.h>

#include <filesystem>
#include <initializer_list>
#include <set>
#include <utility>

#include "hwmatch/detect.h"
#include "tests/support/test_support.h"

using namespace ingot;
using namespace ingot::hwmatch;
namespace fs = std::filesystem;

namespace {

fs::path fixtures() { return fs::path(test::env_or("INGOT_SOURCE_DIR", ".")) / "tests/hwmatch/fixtures"; }

const char* const kShapes[] = {"1s-sata-1nic", "2s-nvme-virtio-4nic", "uefi-virtio-scsi-1nic", "host-vm"};

bool has(const Facts& f, const std::string& cls, const std::string& name, const std::string& key,
         const std::string& value = {}) {
  for (const auto& x : f)
    if (x.cls == cls && x.name == name && x.key == key && (value.empty() || x.value == value)) return true;
  return false;
}

// `expected` is in `f` (an empty value: any value).
void check_has(const Facts& f, const Fact& expected) {
  CAPTURE(expected.cls);
  CAPTURE(expected.name);
  CAPTURE(expected.key);
  CAPTURE(expected.value);
  CHECK(has(f, expected.cls, expected.name, expected.key, expected.value));
}

void check_has(const Facts& f, std::initializer_list<Fact> expected) {
  for (const auto& e : expected) check_has(f, e);
}

}  // namespace

TEST_CASE("every captured fixture yields its golden facts") {
  for (const char* shape : kShapes) {
    CAPTURE(shape);
    auto golden = facts_from_json(test::read_file(fixtures() / shape / "facts.json"));
    REQUIRE(golden.has_value());
    REQUIRE(golden->size() > 20);
    Detection d = detect(fixtures() / shape / "tree");
    CHECK(d.facts == *golden);
  }
}

TEST_CASE("fixture shapes differ where the machines differ") {
  auto one = detect(fixtures() / "1s-sata-1nic" / "tree").facts;
  auto two = detect(fixtures() / "2s-nvme-virtio-4nic" / "tree").facts;
  auto uefi = detect(fixtures() / "uefi-virtio-scsi-1nic" / "tree").facts;
  // What tells the machines apart: the fixture's facts, and a fact it must have.
  const std::pair<const Facts&, Fact> expected[] = {
      {one, {"cpu", "physical", "number", "1"}},
      {two, {"cpu", "physical", "number", "2"}},
      {two, {"numa", "nodes", "count", "2"}},
      {one, {"disk", "sda", "transport", "sata"}},
      {two, {"disk", "nvme0n1", "transport", "nvme"}},
      {two, {"disk", "vda", "transport", "virtio"}},
      {uefi, {"disk", "sda", "transport", "scsi"}},
      {uefi, {"firmware", "boot", "mode", "uefi"}},
      {one, {"firmware", "boot", "mode", "bios"}},
      {two, {"network", "eth3", "serial", "52:54:00:00:02:04"}},
      {two, {"network", "eth2", "driver", "e1000"}},
      {one, {"network", "eth0", "ipv4-network", "198.18.10.0"}},
      {one, {"network", "eth0", "ipv6-network", "fd00:198:18::"}},
      {one, {"memory", "bank:0", "size", "536870912"}},
      {one, {"system", "product", "uuid", "8e5b8d5e-1111-4c1a-9a0e-000000000012"}},
  };
  for (const auto& [facts, fact] : expected) check_has(facts, fact);
}

TEST_CASE("the SMBIOS table alone gives system identity when sys/class/dmi is absent") {
  test::TempDir t;
  fs::create_directories(t / "sys");
  fs::copy(fixtures() / "1s-sata-1nic" / "tree" / "sys/firmware", t / "sys/firmware", fs::copy_options::recursive);
  auto f = detect(t.path()).facts;
  check_has(f, {
      {"system", "product", "serial", "SN-1s-sata-1nic"},
      {"system", "product", "uuid", "8e5b8d5e-1111-4c1a-9a0e-000000000012"},
      {"firmware", "bios", "vendor", "Ingot BIOS"},
      {"memory", "bank:0", "serial", "MEM-0001"},
  });
  CHECK_FALSE(has(f, "ingot", "detect", "missing", "dmi"));
}

TEST_CASE("detection on the live machine runs and finds CPUs and memory") {
  Detection d = detect("/");
  check_has(d.facts, {{"cpu", "logical", "number"}, {"cpu", "physical", "number"}, {"memory", "total", "size"}});
  // Every note is mirrored as an ingot/detect fact.
  std::size_t note_facts = 0;
  for (const auto& f : d.facts) note_facts += f.cls == "ingot";
  CHECK(note_facts == d.notes.size());
}

TEST_CASE("ingot-agent detect prints the facts of a tree and rejects a bad root") {
  std::string agent = test::env_or("INGOT_AGENT_BIN", "ingot-agent");
  std::string out;
  fs::path tree = fixtures() / "2s-nvme-virtio-4nic" / "tree";
  REQUIRE(test::run(agent + " detect --quiet --root " + tree.string(), &out) == 0);
  auto parsed = facts_from_json(out);
  REQUIRE(parsed.has_value());
  CHECK(*parsed == detect(tree).facts);
  CHECK(test::run(agent + " detect --root /nonexistent-ingot-root 2>/dev/null", &out) != 0);
  CHECK(test::run(agent + " detect --bogus 2>/dev/null", &out) != 0);
}

// An optical drive with a disc in it has a size, like a disk: it must still not be counted.
// Built as on a real SATA machine: sys/block/sr0 links into the ATA device tree, whose SCSI
// device reports type 5 (CD/DVD).
TEST_CASE("optical drives are not disks, by name (srN) or by SCSI device type 5") {
  test::TempDir t;
  fs::path tree = t / "tree";
  fs::copy(fixtures() / "1s-sata-1nic" / "tree", tree, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  auto add_block = [&](const std::string& name, const std::string& scsi, const std::string& type) {
    fs::path dev = tree / "sys/devices/pci0000:00/0000:00:1f.2/ata2/host1/target1:0:0" / scsi;
    fs::create_directories(dev / "block" / name);
    test::write_file(dev / "type", type + "\n");
    test::write_file(dev / "vendor", "QEMU    \n");
    test::write_file(dev / "model", "QEMU DVD-ROM    \n");
    test::write_file(dev / "block" / name / "size", "1433600\n");  // a 734 MB disc is in
    test::write_file(dev / "block" / name / "removable", "1\n");
    fs::create_directory_symlink("../../../" + scsi, dev / "block" / name / "device");
    fs::create_directory_symlink("../devices/pci0000:00/0000:00:1f.2/ata2/host1/target1:0:0/" + scsi + "/block/" + name,
                                 tree / "sys/block" / name);
  };
  add_block("sr0", "1:0:0:0", "5");
  add_block("sdb", "1:0:0:1", "5");  // an optical drive under another name: the type tells
  add_block("sdc", "1:0:0:2", "0");  // a real disk beside them is still counted
  auto f = detect(tree).facts;
  CHECK_FALSE(has(f, "disk", "sr0", "size"));
  CHECK_FALSE(has(f, "disk", "sdb", "size"));
  check_has(f, {
      {"disk", "sdc", "size", "0"},
      {"disk", "sdc", "transport", "sata"},
      {"disk", "sda", "transport", "sata"},
      {"disk", "logical", "count", "2"},
  });
}
