// The image manifest (DESIGN.md, Formats: Image): every path of a root filesystem with its
// type, ownership, mode, mtime, content hash, link target, device numbers and xattrs, plus the
// image's name, version, creation time and keep list. Canonical JSON (manifest_json.h) makes
// the same tree give byte-identical manifests, which is what the Ed25519 signature covers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imagebuilder/digest.h"
#include "imagebuilder/image_ref.h"

namespace ingot::image {

// Sockets are not a type: they only exist while a program runs, so the scanner skips them.
enum class EntryType { file, dir, symlink, hardlink, char_device, block_device, fifo };

std::string_view to_string(EntryType t);  // "file" "dir" "symlink" "hardlink" "char" "block" "fifo"
std::optional<EntryType> parse_entry_type(std::string_view s);

// Which fields an entry carries (the parser refuses the others, the writer omits them):
//   every entry          path, type
//   all but hardlink     mode (except symlink: Linux ignores it), uid, gid, mtime, xattrs
//   file                 size, sha256
//   symlink              target = the link text, as readlink returns it
//   hardlink             target = path of the group's first entry (a file, earlier in order);
//                        mode, owner, mtime and xattrs belong to that inode, so they are there
//   char, block          major, minor
struct Entry {
  std::string path;  // relative to the image root, normalised (see check_entry_path); "." is the root
  EntryType type = EntryType::file;
  std::uint32_t mode = 0;  // permission bits incl. setuid/setgid/sticky (<= 07777), never the type bits
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::uint64_t size = 0;
  std::int64_t mtime = 0;  // seconds since the epoch
  Digest sha256;
  std::string target;
  std::uint32_t major = 0;
  std::uint32_t minor = 0;
  std::map<std::string, std::string> xattrs;  // name -> raw value (base64 in JSON)

  bool operator==(const Entry&) const = default;
};

struct Manifest {
  std::string name;     // role
  std::string version;
  std::int64_t created = 0;        // SOURCE_DATE_EPOCH of the build, never the wall clock
  std::vector<std::string> keep;   // keep patterns (keep_list.h), sorted, unique
  std::vector<Entry> entries;      // sorted by path_less, unique, root first

  ImageRef ref() const { return {name, version}; }
  const Entry* find(std::string_view path) const;  // binary search
  // What an inode's metadata lives on: the entry itself, or a hardlink's target.
  const Entry* resolve(const Entry& e) const { return e.type == EntryType::hardlink ? find(e.target) : &e; }
  bool operator==(const Manifest&) const = default;
};

// Manifest order: the root "." first, then byte order of the path. A parent sorts before its
// children (a prefix sorts first), so a tree can be created in one pass over the entries.
bool path_less(std::string_view a, std::string_view b);

// Sorts entries and keep patterns into manifest order (the builder calls this before storing).
void canonicalise(Manifest& m);

}  // namespace ingot::image
