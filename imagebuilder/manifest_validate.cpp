#include "imagebuilder/manifest_validate.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace ingot::image {
namespace {

std::string quoted(std::string_view s) {
  // Error messages must stay one readable line even for hostile bytes.
  std::string out = "'";
  for (unsigned char c : s.substr(0, 200)) {
    if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > 200) out += "...";
  return out + "'";
}

// JSON strings are Unicode: a path that is not UTF-8 could not round-trip through the manifest.
bool is_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    std::uint32_t cp = n == 1 ? c : c & (0x7f >> n);
    for (std::size_t k = 1; k < n; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 2) return false;
      cp = cp << 6 | (cc & 0x3f);
    }
    static constexpr std::uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n;
  }
  return true;
}

Result<void> check_components(std::string_view path) {
  if (path.empty()) return fail("path is empty");
  if (path.size() > kMaxPathLength) return fail("path is longer than " + std::to_string(kMaxPathLength) + " bytes");
  if (path.front() == '/') return fail("path " + quoted(path) + " is absolute (manifest paths are relative to the image root)");
  if (path.back() == '/') return fail("path " + quoted(path) + " ends with '/' (not normalised)");
  for (unsigned char c : path)
    if (c < 0x20 || c == 0x7f) return fail("path " + quoted(path) + " contains a control character");
  if (!is_utf8(path)) return fail("path " + quoted(path) + " is not valid UTF-8");
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    auto comp = path.substr(start, end - start);
    if (comp.empty()) return fail("path " + quoted(path) + " has an empty component ('//', not normalised)");
    if (comp == ".") return fail("path " + quoted(path) + " has a '.' component (not normalised)");
    if (comp == "..") return fail("path " + quoted(path) + " has a '..' component");
    if (comp.size() > kMaxNameLength)
      return fail("path " + quoted(path) + " has a component longer than " + std::to_string(kMaxNameLength) + " bytes");
    start = end + 1;
  }
  return ok();
}

std::string_view parent_of(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view(".") : path.substr(0, slash);
}

bool is_device(EntryType t) { return t == EntryType::char_device || t == EntryType::block_device; }

Result<void> check_xattrs(const Entry& e) {
  if (e.xattrs.size() > kMaxXattrsPerEntry)
    return fail("has more than " + std::to_string(kMaxXattrsPerEntry) + " xattrs");
  for (auto& [name, value] : e.xattrs) {
    if (name.empty() || name.size() > kMaxXattrNameLength) return fail("has an xattr name of bad length");
    bool known = name.starts_with("security.") || name.starts_with("system.") || name.starts_with("trusted.") ||
                 name.starts_with("user.");
    if (!known) return fail("has xattr " + quoted(name) + " outside the security/system/trusted/user namespaces");
    if (name.find('\0') != std::string::npos || !is_utf8(name)) return fail("has an xattr name with a NUL byte or bad UTF-8");
    if (value.size() > kMaxXattrValueSize)
      return fail("has xattr " + quoted(name) + " larger than " + std::to_string(kMaxXattrValueSize) + " bytes");
  }
  return ok();
}

Result<void> check_fields(const Entry& e, const ManifestPolicy& policy) {
  if (e.mode > 07777) return fail("has mode bits beyond 07777 (the type is in 'type', not in 'mode')");
  if (e.mtime < 0 || e.mtime > kMaxMtime) return fail("has an mtime outside 0.." + std::to_string(kMaxMtime));
  if (e.type == EntryType::file && e.size > kMaxFileSize)
    return fail("claims a size of " + std::to_string(e.size) + " bytes, above the limit of " + std::to_string(kMaxFileSize));
  if (e.type == EntryType::symlink) {
    if (e.target.empty() || e.target.size() > kMaxPathLength) return fail("has an empty or overlong symlink target");
    if (e.target.find('\0') != std::string::npos) return fail("has a NUL byte in its symlink target");
    if (!is_utf8(e.target)) return fail("has a symlink target that is not valid UTF-8");
    if (auto r = check_symlink_target(e.path, e.target, policy); !r) return r;
  }
  if (is_device(e.type)) {
    if (!policy.allow_devices) return fail("is a device node, and this image may not contain device nodes");
    if (!e.path.starts_with("dev/")) return fail("is a device node outside dev/ (refused: raw device access by path)");
  }
  if (e.type != EntryType::hardlink)
    if (auto r = check_xattrs(e); !r) return r;
  return ok();
}

}  // namespace

Result<void> check_entry_path(std::string_view path) {
  if (path == ".") return ok();
  return check_components(path);
}

Result<void> check_keep_pattern(std::string_view pattern) {
  if (pattern == ".") return fail("keep pattern '.' would keep the whole tree");
  return check_components(pattern);
}

Result<void> check_symlink_target(std::string_view link_path, std::string_view target, const ManifestPolicy& policy) {
  std::vector<std::string_view> stack;
  if (target.front() == '/') {
    if (!policy.allow_absolute_symlinks) return fail("is an absolute symlink, and this image may not contain them");
  } else {
    auto dir = parent_of(link_path);
    if (dir != ".") {
      std::size_t start = 0;
      while (start <= dir.size()) {
        auto end = dir.find('/', start);
        if (end == std::string_view::npos) end = dir.size();
        stack.push_back(dir.substr(start, end - start));
        start = end + 1;
      }
    }
  }
  std::size_t start = 0;
  while (start <= target.size()) {
    auto end = target.find('/', start);
    if (end == std::string_view::npos) end = target.size();
    auto comp = target.substr(start, end - start);
    start = end + 1;
    if (comp.empty() || comp == ".") continue;
    if (comp != "..") {
      stack.push_back(comp);
      continue;
    }
    if (stack.empty()) return fail("has symlink target " + quoted(target) + " that leaves the image root");
    stack.pop_back();
  }
  return ok();
}

Result<void> validate_manifest(const Manifest& m, const ManifestPolicy& policy) {
  if (auto r = check_role_name(m.name); !r) return fail("manifest name: " + r.error().message());
  if (auto r = check_version(m.version); !r) return fail("manifest version: " + r.error().message());
  if (m.created < 0 || m.created > kMaxMtime) return fail("manifest 'created' is outside 0.." + std::to_string(kMaxMtime));
  if (m.keep.size() > kMaxKeepPatterns) return fail("manifest has more than " + std::to_string(kMaxKeepPatterns) + " keep patterns");
  for (std::size_t i = 0; i < m.keep.size(); ++i) {
    if (auto r = check_keep_pattern(m.keep[i]); !r) return fail("manifest keep[" + std::to_string(i) + "]: " + r.error().message());
    if (i && !(m.keep[i - 1] < m.keep[i])) return fail("manifest keep list is not sorted and unique at " + quoted(m.keep[i]));
  }
  if (m.entries.size() > kMaxEntries) return fail("manifest has more than " + std::to_string(kMaxEntries) + " entries");
  if (m.entries.empty() || m.entries[0].path != "." || m.entries[0].type != EntryType::dir)
    return fail("manifest must start with the root directory entry '.'");

  // Paths are views into m.entries, which outlives this function's maps.
  std::unordered_map<std::string_view, EntryType> seen;
  seen.reserve(m.entries.size());
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < m.entries.size(); ++i) {
    const Entry& e = m.entries[i];
    auto where = [&] { return "manifest entry " + std::to_string(i) + " (" + quoted(e.path) + ") "; };
    if (auto r = check_entry_path(e.path); !r) return fail("manifest entry " + std::to_string(i) + ": " + r.error().message());
    if (i && !path_less(m.entries[i - 1].path, e.path))
      return fail(where() + (m.entries[i - 1].path == e.path ? "is a duplicate path" : "is out of order (entries must be sorted)"));
    if (i) {
      auto parent = seen.find(parent_of(e.path));
      if (parent == seen.end() || parent->second != EntryType::dir)
        return fail(where() + "has no parent directory entry (its parent is missing, a file or a symlink)");
    }
    if (auto r = check_fields(e, policy); !r) return fail(where() + r.error().message());
    if (e.type == EntryType::hardlink) {
      auto t = seen.find(e.target);
      if (t == seen.end() || t->second != EntryType::file)
        return fail(where() + "is a hardlink whose target " + quoted(e.target) + " is not an earlier file entry");
    }
    if (e.type == EntryType::file) {
      total += e.size;
      if (total > kMaxImageBytes) return fail(where() + "brings the image above " + std::to_string(kMaxImageBytes) + " bytes");
    }
    seen.emplace(e.path, e.type);
  }
  return ok();
}

}  // namespace ingot::image
