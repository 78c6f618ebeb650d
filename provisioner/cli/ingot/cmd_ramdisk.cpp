// `ingot ramdisk build`: the deploy kernel + initramfs from Debian's packages and the agent.
#include <filesystem>
#include <iostream>

#include "common/cli.h"
#include "provisioner/cli/ingot/agent_beside_self.h"
#include "provisioner/ramdisk/ramdisk_builder.h"

namespace {

int run(const ingot::cli::Args& args) {
  ingot::cli::Flags f(args, {"kernel-dir", "agent", "out", "zstd-level"});
  if (!f.ok()) {
    std::cerr << "ingot ramdisk build: " << f.error() << "\n";
    return 2;
  }
  auto spec = ingot::ramdisk::default_spec();
  spec.kernel_dir = f.get_or("kernel-dir", "/var/cache/ingot/kernel");
  spec.agent = f.get_or("agent", ingot::cli::agent_beside_self().string());
  spec.out_dir = f.get_or("out", "/var/lib/ingot/ramdisk");
  if (auto l = f.get("zstd-level")) spec.zstd_level = std::stoi(*l);
  auto r = ingot::ramdisk::build_ramdisk(spec);
  if (!r) {
    std::cerr << "ingot ramdisk build: " << r.error().message() << "\n";
    return 1;
  }
  for (auto& m : r->missing) std::cerr << "ingot ramdisk build: note: not included: " << m << "\n";
  std::cout << "kernel " << r->kernel.string() << " (" << r->kernel_version << ")\n"
            << "initrd " << r->initrd.string() << ": " << r->files << " files, " << r->uncompressed_bytes / 1024
            << " KiB → " << r->compressed_bytes / 1024 << " KiB zstd\n";
  return 0;
}

}  // namespace

INGOT_COMMAND("ramdisk build", "build the deploy kernel + initramfs (--kernel-dir, --out, --agent)", run);
