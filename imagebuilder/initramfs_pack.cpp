#include "imagebuilder/initramfs_pack.h"

#include "imagebuilder/cpio_writer.h"
#include "imagebuilder/file_io.h"
#include "imagebuilder/manifest.h"
#include "imagebuilder/object_codec.h"
#include "imagebuilder/tree_scan.h"

namespace ingot::image {
namespace {

namespace fs = std::filesystem;

std::uint32_t type_bits(EntryType t) {
  switch (t) {
    case EntryType::dir: return 0040000;
    case EntryType::symlink: return 0120000;
    case EntryType::char_device: return 0020000;
    case EntryType::block_device: return 0060000;
    case EntryType::fifo: return 0010000;
    default: return 0100000;
  }
}

}  // namespace

Result<void> pack_initramfs(const fs::path& source_dir, const fs::path& output, std::int64_t mtime) {
  Manifest m;
  ScanOptions opt;
  opt.clamp_mtime = mtime;
  auto stats = scan_tree(source_dir, opt, m);
  if (!stats) return fail(stats.error());
  if (stats->bytes > kMaxInitramfsBytes) return fail(source_dir.string() + " is too large for an initramfs");
  CpioWriter cpio;
  for (auto& e : m.entries) {
    if (e.path == ".") continue;
    // Hardlinks become copies: simpler for the unpacker, and initramfs trees rarely share inodes.
    const Entry& inode = *m.resolve(e);
    std::string data;
    if (inode.type == EntryType::file) {
      auto content = read_file_limited(source_dir / inode.path, kMaxInitramfsBytes);
      if (!content) return fail(content.error());
      data = std::move(*content);
    } else if (inode.type == EntryType::symlink) {
      data = inode.target;
    }
    cpio.add(e.path,
             {.mode = type_bits(inode.type) | inode.mode, .uid = inode.uid, .gid = inode.gid,
              .nlink = inode.type == EntryType::dir ? 2u : 1u, .mtime = inode.mtime, .rdev_major = inode.major,
              .rdev_minor = inode.minor},
             data);
  }
  auto archive = cpio.finish();
  if (!archive) return fail(archive.error());
  auto z = zstd_compress(*archive, kInitramfsZstdLevel);
  if (!z) return fail(z.error());
  return write_file_atomic(output, *z, 0644);
}

}  // namespace ingot::image
