#include "imagebuilder/host_program_install.h"

#include <sys/stat.h>

#include "imagebuilder/shared_libraries.h"

namespace ingot::image {
namespace {

namespace fs = std::filesystem;

// tree/rel once its parents exist, refusing a path that a symlink in the tree (an absolute
// "lib -> /usr/lib") would resolve outside the tree: a build must never write into the host.
Result<fs::path> destination(const fs::path& tree, const std::string& rel) {
  fs::path rel_path = fs::path(rel).relative_path();
  if (rel_path.empty() || rel_path.lexically_normal().string().starts_with(".."))
    return fail("'" + rel + "' is not a path inside the tree");
  fs::path target = tree / rel_path;
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) return fail(ec, "cannot create " + target.parent_path().string() + ": " + ec.message());
  auto real_parent = fs::canonical(target.parent_path(), ec);
  auto real_tree = fs::canonical(tree, ec);
  if (ec) return fail(ec, "cannot resolve " + tree.string() + ": " + ec.message());
  auto inside = real_parent.lexically_relative(real_tree);
  if (inside.empty() || inside.string().starts_with(".."))
    return fail(target.string() + " resolves to " + real_parent.string() + ", outside the tree");
  return target;
}

Result<void> copy_program(const fs::path& program, const fs::path& to, const LoggedRunner& run) {
  std::error_code ec;
  fs::remove(to, ec);
  if (!run.run({"objcopy", "--strip-debug", program.string(), to.string()})) {
    // No binutils on this host (or not an ELF objcopy knows): the program as it is.
    fs::copy_file(program, to, fs::copy_options::overwrite_existing, ec);
    if (ec) return fail(ec, "cannot copy " + program.string() + " to " + to.string() + ": " + ec.message());
  }
  fs::permissions(to, fs::perms(0755), ec);
  if (ec) return fail(ec, "cannot chmod " + to.string() + ": " + ec.message());
  return ok();
}

}  // namespace

Result<HostProgramInstall> install_host_program(const fs::path& program, const fs::path& tree, const std::string& dest,
                                                const LoggedRunner& run) {
  if (!fs::is_regular_file(program)) return fail(program.string() + ": not found (build it, or pass its path)");
  auto libs = shared_libraries_of(program);
  if (!libs.missing.empty()) {
    std::string names;
    for (auto& m : libs.missing) names += (names.empty() ? "" : ", ") + m;
    return fail(program.string() + ": ldd cannot resolve " + names + " on this host");
  }
  auto to = destination(tree, dest);
  if (!to) return fail(to.error());
  if (auto r = copy_program(program, *to, run); !r) return fail(r.error());
  HostProgramInstall res;
  for (auto& lib : libs.paths) {
    auto lib_to = destination(tree, lib);
    if (!lib_to) return fail(lib_to.error());
    std::error_code ec;
    if (fs::exists(fs::symlink_status(*lib_to, ec))) {
      ++res.libraries_kept;
      continue;
    }
    // Following the host's symlinks (libcurl.so.4 -> libcurl.so.4.8.0): the loader looks for
    // the name ldd printed, and one regular file under it is all it needs.
    fs::copy_file(lib, *lib_to, fs::copy_options::overwrite_existing, ec);
    if (ec) return fail(ec, "cannot copy " + lib + " into the tree: " + ec.message());
    struct stat st {};
    if (::stat(lib.c_str(), &st) == 0) fs::permissions(*lib_to, fs::perms(st.st_mode & 0777), ec);
    ++res.libraries_added;
  }
  return res;
}

}  // namespace ingot::image
