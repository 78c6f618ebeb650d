#include "provisioner/agent/bootloader.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <vector>

namespace ingot::agent {
namespace fs = std::filesystem;

Result<BootEntry> find_boot_entry(const fs::path& target) {
  std::vector<std::string> versions;
  std::error_code ec;
  for (auto& e : fs::directory_iterator(target / "boot", ec)) {
    std::string n = e.path().filename().string();
    if (n.rfind("vmlinuz-", 0) == 0) versions.push_back(n.substr(8));
  }
  if (!versions.empty()) {
    // Version order, not byte order: 6.1.0-10 is newer than 6.1.0-9.
    std::sort(versions.begin(), versions.end(), [](const std::string& a, const std::string& b) {
      return strverscmp(a.c_str(), b.c_str()) < 0;
    });
    const std::string& v = versions.back();
    BootEntry e{"/boot/vmlinuz-" + v, ""};
    if (fs::exists(target / ("boot/initrd.img-" + v))) e.initrd = "/boot/initrd.img-" + v;
    // Images that carry one unversioned initramfs (assembled images) name it boot/initrd.img.
    else if (fs::exists(target / "boot/initrd.img")) e.initrd = "/boot/initrd.img";
    return e;
  }
  if (fs::exists(target / "vmlinuz")) {
    BootEntry e{"/vmlinuz", fs::exists(target / "initrd.img") ? "/initrd.img" : ""};
    return e;
  }
  return fail("the image has no kernel (/boot/vmlinuz-* or /vmlinuz): nothing to boot");
}

std::string grub_cfg(const BootEntry& entry, const std::string& root_uuid, const std::string& cmdline) {
  std::string s;
  s += "# Written by ingot.\nset timeout=1\nset default=0\n";
  s += "insmod part_gpt\ninsmod ext2\n";
  s += "search --no-floppy --fs-uuid --set=root " + root_uuid + "\n";
  s += "menuentry 'ingot' {\n";
  s += "  linux " + entry.kernel + " root=UUID=" + root_uuid + " " + cmdline + "\n";
  if (!entry.initrd.empty()) s += "  initrd " + entry.initrd + "\n";
  s += "}\n";
  return s;
}

Result<void> install_bootloader(CommandRunner& run, const BootloaderPlan& plan) {
  auto entry = find_boot_entry(plan.target);
  if (!entry) return fail(entry.error());
  std::string boot_dir = (plan.target / "boot").string();
  if (plan.bios) {
    auto r = run.check({"grub-install", "--target=i386-pc", "--boot-directory=" + boot_dir, "--modules=part_gpt ext2",
                        plan.disk});
    if (!r) return fail("BIOS bootloader: " + r.error().message());
  }
  if (plan.uefi) {
    auto r = run.check({"grub-install", "--target=x86_64-efi", "--efi-directory=" + (plan.target / "boot/efi").string(),
                        "--boot-directory=" + boot_dir, "--removable", "--no-nvram", "--no-uefi-secure-boot"});
    if (!r) return fail("UEFI bootloader: " + r.error().message());
  }
  std::error_code ec;
  fs::create_directories(plan.target / "boot/grub", ec);
  std::ofstream out(plan.target / "boot/grub/grub.cfg", std::ios::trunc);
  out << grub_cfg(*entry, plan.root_uuid, plan.cmdline);
  if (!out) return fail("write " + (plan.target / "boot/grub/grub.cfg").string());
  return ok();
}

}  // namespace ingot::agent
