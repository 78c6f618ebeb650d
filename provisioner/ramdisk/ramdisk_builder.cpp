#include "provisioner/ramdisk/ramdisk_builder.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>

#include "common/command_runner.h"
#include "common/log.h"
#include "imagebuilder/cpio_writer.h"
#include "imagebuilder/object_codec.h"
#include "imagebuilder/shared_libraries.h"

namespace ingot::ramdisk {
namespace fs = std::filesystem;
using image::CpioWriter;

namespace {

constexpr std::string_view kUdhcpcScript = R"(#!/bin/sh
# udhcpc event script: configure the lease on the interface, default route and DNS.
case "$1" in
  deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    [ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
    : > /etc/resolv.conf
    for d in $dns; do echo "nameserver $d" >> /etc/resolv.conf; done ;;
esac
exit 0
)";

// depmod and busybox --list-full answer within seconds; a minute means something is wrong.
constexpr auto kHostToolTimeout = std::chrono::seconds(60);

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Collects the archive's contents by path, so each path is written once with its parents first.
class Tree {
 public:
  void add_file(const std::string& path, std::string content, unsigned mode) {
    add_parents(path);
    files_[path] = {std::move(content), mode, ""};
  }
  void add_symlink(const std::string& path, const std::string& target) {
    add_parents(path);
    files_[path] = {"", 0777, target};
  }
  bool has(const std::string& path) const { return files_.count(path) || dirs_.count(path); }
  void add_dir(const std::string& path) { add_parents(path + "/x"); }
  // Copies a host file (following symlinks) to the same path in the archive.
  bool copy_host(const std::string& path) {
    if (files_.count(path)) return true;
    struct stat st {};
    if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    add_file(path, slurp(path), st.st_mode & 0777);
    return true;
  }

  void write(CpioWriter& w, std::size_t& count, std::size_t& bytes) const {
    for (auto& d : dirs_) w.directory(d);
    for (auto& [path, f] : files_) {
      if (!f.link.empty()) {
        w.symlink(path, f.link);
      } else {
        w.file(path, f.content, f.mode);
        bytes += f.content.size();
      }
      ++count;
    }
    w.char_device("/dev/console", 0600, 5, 1);
    w.char_device("/dev/null", 0666, 1, 3);
  }

 private:
  struct Entry {
    std::string content;
    unsigned mode;
    std::string link;
  };
  void add_parents(const std::string& path) {
    for (auto pos = path.find('/', 1); pos != std::string::npos; pos = path.find('/', pos + 1))
      dirs_.insert(path.substr(0, pos));
  }
  std::set<std::string> dirs_;  // sorted: parents before children
  std::map<std::string, Entry> files_;
};

struct Modules {
  std::map<std::string, std::string> path_of;  // name → path relative to lib/modules/VER
  std::map<std::string, std::vector<std::string>> deps;
};

std::string module_name(const std::string& rel) {
  std::string base = fs::path(rel).filename().string();
  base = base.substr(0, base.find(".ko"));
  for (char& c : base)
    if (c == '-') c = '_';
  return base;
}

Result<Modules> read_modules_dep(const fs::path& moddir) {
  std::ifstream in(moddir / "modules.dep");
  if (!in) return fail((moddir / "modules.dep").string() + ": cannot read (is kmod's depmod installed?)");
  Modules m;
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string rel = line.substr(0, colon);
    std::string name = module_name(rel);
    m.path_of[name] = rel;
    std::istringstream deps(line.substr(colon + 1));
    std::string d;
    while (deps >> d) m.deps[name].push_back(module_name(d));
  }
  return m;
}

void add_module(const Modules& m, const std::string& name, std::set<std::string>& seen, std::vector<std::string>& order) {
  if (!seen.insert(name).second) return;
  auto it = m.deps.find(name);
  if (it != m.deps.end())
    for (auto& d : it->second) add_module(m, d, seen, order);
  order.push_back(name);  // dependencies first: insmod needs them loaded
}

}  // namespace

RamdiskSpec default_spec() {
  RamdiskSpec s;
  s.binaries = {"/usr/sbin/sfdisk",   "/usr/sbin/mke2fs",    "/usr/sbin/mkfs.fat",  "/usr/sbin/e2fsck",
                "/usr/sbin/blkid",    "/usr/sbin/grub-install", "/usr/bin/grub-mkimage", "/usr/sbin/grub-probe",
                "/usr/bin/grub-editenv", "/usr/bin/ipmitool", "/usr/sbin/wipefs"};
  s.modules = {"virtio_pci", "virtio_net", "virtio_blk", "virtio_scsi", "e1000", "e1000e", "ahci", "ata_piix",
               "sd_mod", "sr_mod", "nvme", "ext4", "vfat", "nls_cp437", "nls_ascii", "nls_iso8859_1", "efivarfs",
               "ipmi_si", "ipmi_devintf", "loop", "crc32c_generic"};
  return s;
}

Result<RamdiskResult> build_ramdisk(const RamdiskSpec& spec) {
  RamdiskResult res;
  fs::path vmlinuz;
  for (auto& e : fs::directory_iterator(spec.kernel_dir / "boot", std::filesystem::directory_options::skip_permission_denied)) {
    if (e.path().filename().string().rfind("vmlinuz-", 0) == 0) vmlinuz = e.path();
  }
  if (vmlinuz.empty())
    return fail((spec.kernel_dir / "boot").string() + ": no vmlinuz-* (extract a linux-image package there: scripts/fetch-kernel.sh)");
  res.kernel_version = vmlinuz.filename().string().substr(8);
  fs::path moddir = spec.kernel_dir / "lib/modules" / res.kernel_version;
  SystemRunner runner;
  if (!fs::exists(moddir / "modules.dep")) {
    auto depmod = runner.check({"depmod", "-b", spec.kernel_dir.string(), res.kernel_version}, {}, kHostToolTimeout);
    if (!depmod) return fail("depmod failed for " + moddir.string() + ": " + depmod.error().message());
  }
  auto mods = read_modules_dep(moddir);
  if (!mods) return fail(mods.error());
  if (!fs::is_regular_file(spec.agent)) return fail(spec.agent.string() + ": agent binary not found");

  Tree tree;
  for (const char* d : {"/proc", "/sys", "/dev", "/run", "/tmp", "/mnt", "/root", "/etc", "/var/log"}) tree.add_dir(d);
  tree.add_file("/init", std::string(init_script()), 0755);
  tree.add_file("/etc/udhcpc.script", std::string(kUdhcpcScript), 0755);
  tree.add_file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644);
  tree.add_file("/etc/group", "root:x:0:\n", 0644);
  tree.copy_host("/etc/mke2fs.conf");

  std::vector<std::string> elves = {spec.agent.string()};
  tree.add_file("/usr/bin/ingot-agent", slurp(spec.agent), 0755);
  for (auto& b : spec.binaries) {
    if (tree.copy_host(b)) elves.push_back(b);
    else res.missing.push_back(b);
  }
  for (const char* grub_dir : {"/usr/lib/grub/i386-pc", "/usr/lib/grub/x86_64-efi"}) {
    if (!fs::is_directory(grub_dir)) {
      res.missing.push_back(grub_dir);
      continue;
    }
    for (auto& e : fs::recursive_directory_iterator(grub_dir)) {
      if (!e.is_regular_file()) continue;
      tree.copy_host(e.path().string());
      if (image::is_elf_file(e.path()) && e.path().extension() != ".mod" && e.path().extension() != ".img" &&
          e.path().extension() != ".image")
        elves.push_back(e.path().string());
    }
  }
  for (auto& elf : elves) {
    auto libs = image::shared_libraries_of(elf);
    for (auto& lib : libs.paths)
      if (!tree.copy_host(lib)) res.missing.push_back(lib);
    for (auto& soname : libs.missing) res.missing.push_back(soname + " (needed by " + elf + ")");
  }

  // busybox-static provides the shell and the small tools; real programs above take precedence.
  const std::string busybox = "/bin/busybox";
  if (!tree.copy_host(busybox)) return fail("busybox-static is not installed (/bin/busybox)");
  auto list = runner.check({busybox, "--list-full"}, {}, kHostToolTimeout);
  if (!list) return fail(list.error());
  std::istringstream applets(*list);
  std::string applet;
  while (std::getline(applets, applet)) {
    std::string path = "/" + applet;
    if (!tree.has(path) && !tree.has("/usr" + path)) tree.add_symlink(path, "/bin/busybox");
  }

  std::set<std::string> seen;
  std::vector<std::string> order;
  for (auto& m : spec.modules) {
    if (!mods->path_of.count(m)) {
      res.missing.push_back("module " + m);  // built in, or not in this kernel
      continue;
    }
    add_module(*mods, m, seen, order);
  }
  std::string load_order;
  for (auto& name : order) {
    const std::string& rel = mods->path_of[name];
    tree.add_file("/lib/modules/" + rel, slurp(moddir / rel), 0644);
    load_order += rel + "\n";
  }
  tree.add_file("/lib/modules/load-order", load_order, 0644);

  CpioWriter w;
  tree.write(w, res.files, res.uncompressed_bytes);
  auto archive = w.finish();
  if (!archive) return fail(archive.error());
  auto packed = image::zstd_compress(*archive, spec.zstd_level);
  if (!packed) return fail(packed.error());
  res.compressed_bytes = packed->size();

  std::error_code ec;
  fs::create_directories(spec.out_dir, ec);
  if (ec) return fail(ec, "create " + spec.out_dir.string());
  res.kernel = spec.out_dir / "vmlinuz";
  res.initrd = spec.out_dir / "initrd.img";
  // Temp name then rename: a server serving the old ramdisk never sees half a file.
  fs::copy_file(vmlinuz, spec.out_dir / "vmlinuz.tmp", fs::copy_options::overwrite_existing, ec);
  if (ec) return fail(ec, "copy " + vmlinuz.string());
  {
    std::ofstream out(spec.out_dir / "initrd.img.tmp", std::ios::binary | std::ios::trunc);
    out.write(packed->data(), static_cast<std::streamsize>(packed->size()));
    if (!out) return fail("write " + (spec.out_dir / "initrd.img.tmp").string());
  }
  fs::rename(spec.out_dir / "vmlinuz.tmp", res.kernel, ec);
  if (!ec) fs::rename(spec.out_dir / "initrd.img.tmp", res.initrd, ec);
  if (ec) return fail(ec, "rename into " + spec.out_dir.string());
  return res;
}

}  // namespace ingot::ramdisk
