// BuildChroot (build_stages.h): what a chroot needs for apt and maintainer scripts, and the
// guarantee that no service starts on the build host.
#include <sys/mount.h>
#include <unistd.h>

#include "imagebuilder/build_stages.h"
#include "imagebuilder/file_io.h"

namespace ingot::image {
namespace {

namespace fs = std::filesystem;

// invoke-rc.d asks this script; 101 = "action forbidden": packages install, nothing starts.
constexpr const char* kPolicyRcD = "#!/bin/sh\n# ingot image build: never start services in a build chroot\nexit 101\n";
constexpr const char* kPolicyPath = "usr/sbin/policy-rc.d";
constexpr const char* kAptConfPath = "etc/apt/apt.conf.d/99ingot-build";

std::string apt_conf(bool recommends) {
  std::string r = recommends ? "true" : "false";
  return "APT::Install-Recommends \"" + r + "\";\nAPT::Install-Suggests \"false\";\n"
         "Dpkg::Options { \"--force-confdef\"; \"--force-confold\"; };\nAcquire::Languages \"none\";\n";
}

}  // namespace

Result<BuildChroot> BuildChroot::enter(const fs::path& tree, bool recommends) {
  BuildChroot c(tree);
  std::error_code ec;
  fs::create_directories(tree / "proc", ec);
  if (::mount("proc", (tree / "proc").c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
    return errno_error("cannot mount /proc in", tree);
  c.proc_mounted_ = true;
  if (auto r = write_file_atomic(tree / kPolicyPath, kPolicyRcD, 0755); !r) return fail(r.error());
  if (auto r = write_file_atomic(tree / kAptConfPath, apt_conf(recommends)); !r) return fail(r.error());
  fs::remove(tree / "etc/resolv.conf", ec);  // may be a dangling symlink into the host's /run
  fs::copy_file("/etc/resolv.conf", tree / "etc/resolv.conf", ec);
  return c;
}

BuildChroot::~BuildChroot() {
  if (tree_.empty()) return;
  std::error_code ec;
  fs::remove(tree_ / kPolicyPath, ec);
  fs::remove(tree_ / kAptConfPath, ec);
  fs::remove(tree_ / "etc/resolv.conf", ec);
  if (proc_mounted_) ::umount2((tree_ / "proc").c_str(), MNT_DETACH);
}

}  // namespace ingot::image
