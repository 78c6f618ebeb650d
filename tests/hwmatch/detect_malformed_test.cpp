// Missing, truncated and garbage sources give notes, never a crash and never a partial list
// reported as complete.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <utility>

#include "hwmatch/detect.h"
#include "hwmatch/smbios_table.h"
#include "hwmatch/sysfs_root.h"
#include "tests/support/test_support.h"

using namespace ingot;
using namespace ingot::hwmatch;
namespace fs = std::filesystem;

namespace {

fs::path fixture(const char* shape) {
  return fs::path(test::env_or("INGOT_SOURCE_DIR", ".")) / "tests/hwmatch/fixtures" / shape / "tree";
}

// A writable copy of a fixture tree (symlinks kept as links), to damage before detecting.
struct FixtureCopy {
  test::TempDir dir;
  fs::path tree = dir / "tree";
  explicit FixtureCopy(const char* shape) {
    fs::copy(fixture(shape), tree, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  }
};

std::size_t count(const Facts& f, const std::string& cls, const std::string& name = {}, const std::string& key = {},
                  const std::string& value = {}) {
  std::size_t n = 0;
  for (const auto& x : f)
    n += x.cls == cls && (name.empty() || x.name == name) && (key.empty() || x.key == key) &&
         (value.empty() || x.value == value);
  return n;
}

// Files of 2s-nvme-virtio-4nic garbled, each giving one "invalid" note naming it: path, content.
constexpr std::pair<const char*, const char*> kGarbledFiles[] = {
    {"proc/cpuinfo", "\x01\x02 not a cpuinfo\n"},
    {"proc/meminfo", "MemTotal: lots\n"},
    {"sys/block/vda/size", "twelve\n"},
    {"sys/devices/system/node/node1/cpulist", "3-1,x\n"},
    {"sys/devices/system/node/node0/meminfo", "nothing here\n"},
};

// Directories of 1s-sata-1nic removed, each giving one "missing" note: path, the source named.
constexpr std::pair<const char*, const char*> kRemovedDirs[] = {
    {"sys/block", "block"},
    {"sys/class/net", "net"},
    {"sys/devices/system/cpu", "cpu-topology"},
    {"sys/devices/system/node", "numa"},
};

// How many ingot/detect notes of this kind ("missing", "invalid") name `source`.
std::size_t notes(const Facts& f, const std::string& kind, const std::string& source) {
  return count(f, "ingot", "detect", kind, source);
}

}  // namespace

TEST_CASE("an empty root gives a note for every source and no hardware facts") {
  test::TempDir t;
  Detection d = detect(t.path());
  for (const char* src : {"smbios", "dmi", "cpuinfo", "meminfo", "numa", "block", "net", "pci", "ipmi"}) {
    CAPTURE(src);
    CHECK(notes(d.facts, "missing", src) == 1);
  }
  CHECK(count(d.facts, "cpu") == 0);
  CHECK(count(d.facts, "memory") == 0);
  CHECK(count(d.facts, "disk") == 0);
  CHECK(d.notes.size() == count(d.facts, "ingot"));
}

TEST_CASE("a nonexistent root is an empty machine, not a crash") {
  Detection d = detect("/nonexistent-ingot-root");
  CHECK(notes(d.facts, "missing", "cpuinfo") == 1);
}

TEST_CASE("a truncated SMBIOS table drops all banks and says why; sysfs identity stays") {
  FixtureCopy t("1s-sata-1nic");
  fs::path dmi = t.tree / "sys/firmware/dmi/tables/DMI";
  std::string table = test::read_file(dmi);
  test::write_file(dmi, table.substr(0, table.size() / 2));
  Detection d = detect(t.tree);
  CHECK(notes(d.facts, "invalid", "sys/firmware/dmi/tables/DMI") == 1);
  CHECK(count(d.facts, "memory", "banks") == 0);
  CHECK(count(d.facts, "memory", "bank:0") == 0);
  CHECK(count(d.facts, "system", "product", "serial", "SN-1s-sata-1nic") == 1);
  CHECK(count(d.facts, "memory", "total", "size") == 1);
}

TEST_CASE("a garbage entry point or an oversized table is invalid") {
  FixtureCopy t("1s-sata-1nic");
  fs::path tables = t.tree / "sys/firmware/dmi/tables";
  test::write_file(tables / "smbios_entry_point", "_SM_ garbage");
  CHECK(notes(detect(t.tree).facts, "invalid", "sys/firmware/dmi/tables/smbios_entry_point") == 1);
  fs::remove(tables / "smbios_entry_point");
  test::write_file(tables / "DMI", std::string(kMaxSmbiosTable + 1, '\x7f'));
  auto f = detect(t.tree).facts;
  CHECK(notes(f, "invalid", "sys/firmware/dmi/tables/DMI") == 1);
  CHECK(count(f, "memory", "banks") == 0);
}

TEST_CASE("garbage in sysfs and procfs files gives notes") {
  FixtureCopy copy("2s-nvme-virtio-4nic");
  const fs::path& tree = copy.tree;
  for (const auto& [path, text] : kGarbledFiles) test::write_file(tree / path, text);
  test::write_file(tree / "proc/net/route", std::string(100, '\xff'));
  Detection d = detect(tree);
  const Facts& f = d.facts;
  for (const auto& [path, text] : kGarbledFiles) {
    CAPTURE(path);
    CHECK(notes(f, "invalid", path) == 1);
  }
  // Topology still counts sockets; model names need cpuinfo and are absent, not invented.
  CHECK(count(f, "cpu", "physical", "number", "2") == 1);
  CHECK(count(f, "cpu", "physical_0", "product") == 0);
  CHECK(count(f, "disk", "vda") == 0);
  CHECK(count(f, "disk", "nvme0n1", "size") == 1);
  CHECK(count(f, "disk", "logical", "count", "1") == 1);
  CHECK(count(f, "network", "eth0", "ipv4") == 0);   // the route table is garbage
  CHECK(count(f, "network", "eth0", "serial") == 1);  // the rest of the NIC is fine
}

TEST_CASE("missing directories are skipped with a note each") {
  FixtureCopy copy("1s-sata-1nic");
  const fs::path& tree = copy.tree;
  for (const auto& [dir, source] : kRemovedDirs) fs::remove_all(tree / dir);
  auto f = detect(tree).facts;
  for (const auto& [dir, source] : kRemovedDirs) {
    CAPTURE(source);
    CHECK(notes(f, "missing", source) == 1);
  }
  // cpuinfo still gives the sockets.
  CHECK(count(f, "cpu", "physical", "number", "1") == 1);
  CHECK(count(f, "cpu", "logical", "number", "2") == 1);
}

TEST_CASE("reads are bounded: an attribute longer than a page is refused") {
  test::TempDir t;
  test::write_file(t / "big", std::string(kMaxSysfsAttribute + 1, 'x'));
  test::write_file(t / "page", std::string(kMaxSysfsAttribute, 'x'));
  SysfsRoot fs(t.path());
  CHECK(fs.read("big").status == ReadStatus::too_large);
  CHECK(fs.read("page").ok());
  CHECK(fs.read("absent").status == ReadStatus::missing);
  CHECK_FALSE(fs.attribute("big"));
}

TEST_CASE("cpu lists") {
  CHECK(parse_cpu_list("0-3,8,10-11\n", 64) == std::vector<unsigned>{0, 1, 2, 3, 8, 10, 11});
  CHECK(parse_cpu_list("", 64) == std::vector<unsigned>{});
  CHECK_FALSE(parse_cpu_list("3-1", 64));
  CHECK_FALSE(parse_cpu_list("0-100", 64));
  CHECK_FALSE(parse_cpu_list("a", 64));
  CHECK_FALSE(parse_cpu_list("1,,2", 64));
}

TEST_CASE("an unreadable DMI attribute with no SMBIOS fallback is reported, not dropped silently") {
  FixtureCopy copy("1s-sata-1nic");
  const fs::path& tree = copy.tree;
  fs::remove_all(tree / "sys/firmware/dmi");
  // A directory where the attribute should be: open() works, read() fails, as for a
  // root-only file read by an unprivileged agent.
  fs::path serial = tree / "sys/devices/virtual/dmi/id/product_serial";
  fs::remove(serial);
  fs::create_directories(serial);
  auto f = detect(tree).facts;
  CHECK(notes(f, "missing", "sys/class/dmi/id/product_serial") == 1);
  CHECK(count(f, "system", "product", "serial") == 0);
  CHECK(count(f, "system", "product", "name", "Shape 1s-sata-1nic") == 1);
  CHECK(notes(f, "missing", "smbios") == 1);
  CHECK(count(f, "memory", "banks") == 0);
}

TEST_CASE("a directory too big to list whole is invalid, not a truncated list") {
  // 16k entries: on tmpfs when there is one (the disk-backed /tmp here takes ~40 s to create them).
  std::string tmpl = (fs::exists("/dev/shm") ? std::string("/dev/shm") : fs::temp_directory_path().string()) +
                     "/ingot-detect-XXXXXX";
  REQUIRE(mkdtemp(tmpl.data()) != nullptr);
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(p, ec);
    }
  } cleanup{tmpl};
  fs::path root(tmpl);
  fs::create_directories(root / "sys/bus/pci/devices");
  for (std::size_t i = 0; i <= kMaxDirEntries; ++i) test::write_file(root / "sys/bus/pci/devices" / std::to_string(i), "");
  CHECK(SysfsRoot(root).list("sys/bus/pci/devices").status == ReadStatus::too_large);
  CHECK(SysfsRoot(root).list("sys/bus/pci/devices").names.empty());
  auto f = detect(root).facts;
  CHECK(notes(f, "invalid", "sys/bus/pci/devices") == 1);
  CHECK(count(f, "pci") == 0);
  fs::remove(root / "sys/bus/pci/devices/0");
  CHECK(SysfsRoot(root).list("sys/bus/pci/devices").names.size() == kMaxDirEntries);  // exactly at the limit
}

TEST_CASE("links in a captured tree resolve inside it, never to the host's files") {
  test::TempDir t;
  fs::create_directories(t / "proc");
  fs::create_directories(t / "etc");
  test::write_file(t / "etc/hostname", "the tree's own file\n");
  fs::create_symlink("/etc/hostname", t / "proc/abs");       // absolute: root-relative
  fs::create_symlink("../../../../../etc/hostname", t / "proc/up");  // climbs past the root
  fs::create_symlink("/proc/self/status", t / "proc/host");  // exists on the host only
  SysfsRoot root(t.path());
  CHECK(root.attribute("proc/abs") == "the tree's own file");
  CHECK(root.attribute("proc/up") == "the tree's own file");
  CHECK(root.read("proc/host").status == ReadStatus::missing);
}
