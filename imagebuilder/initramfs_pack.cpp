#include "imagebuilder/initramfs_pack.h"

#include <zstd.h>

#include <cstdio>
#include <vector>

#include "imagebuilder/file_io.h"
#include "imagebuilder/manifest.h"
#include "imagebuilder/tree_scan.h"

namespace ingot::image {
namespace {

namespace fs = std::filesystem;

void pad4(std::string& out) {
  while (out.size() % 4) out += '\0';
}

void header(std::string& out, std::uint32_t ino, std::uint32_t mode, const Entry& e, std::uint32_t nlink, std::int64_t mtime,
            std::uint64_t size, const std::string& name) {
  char buf[111];
  std::snprintf(buf, sizeof buf, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino, mode, e.uid, e.gid, nlink,
                static_cast<std::uint32_t>(mtime), static_cast<std::uint32_t>(size), 0u, 0u, e.major, e.minor,
                static_cast<std::uint32_t>(name.size() + 1), 0u);
  out.append(buf, 110);
  out += name;
  out += '\0';
  pad4(out);
}

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
  std::string cpio;
  std::uint32_t ino = 1;
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
    header(cpio, ino++, type_bits(inode.type) | inode.mode, inode, inode.type == EntryType::dir ? 2 : 1, inode.mtime, data.size(),
           e.path);
    cpio += data;
    pad4(cpio);
  }
  Entry none;
  header(cpio, 0, 0, none, 1, 0, 0, "TRAILER!!!");
  std::string z(ZSTD_compressBound(cpio.size()), '\0');
  std::size_t n = ZSTD_compress(z.data(), z.size(), cpio.data(), cpio.size(), kInitramfsZstdLevel);
  if (ZSTD_isError(n)) return fail(std::string("zstd: ") + ZSTD_getErrorName(n));
  z.resize(n);
  return write_file_atomic(output, z, 0644);
}

}  // namespace ingot::image
