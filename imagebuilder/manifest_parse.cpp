// parse_manifest (declared in manifest_json.h): structure first (size, nesting, JSON syntax,
// field names and types), then meaning (validate_manifest).
#include <nlohmann/json.hpp>

#include <limits>
#include <set>

#include "common/json_depth.h"
#include "imagebuilder/base64.h"
#include "imagebuilder/manifest_json.h"

namespace ingot::image {
namespace {

using json = nlohmann::json;

// Bracket depth, counted before the DOM parser allocates (common/json_depth.h).
Result<void> check_nesting(std::string_view text) {
  if (json_deeper_than(text, kMaxManifestNesting))
    return fail("manifest nests deeper than " + std::to_string(kMaxManifestNesting) + " levels");
  return ok();
}

// Reads one field of a JSON object with a type check; the error names the field.
class Fields {
 public:
  Fields(const json& obj, std::string where) : obj_(obj), where_(std::move(where)) {}

  Result<std::string> str(const char* key) {
    auto v = get(key);
    if (!v) return fail(missing(key));
    if (!v->is_string()) return fail(where_ + "field '" + key + "' must be a string");
    return v->get_ref<const std::string&>();
  }
  Result<std::uint64_t> uint(const char* key, std::uint64_t max) {
    auto v = get(key);
    if (!v) return fail(missing(key));
    if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<std::int64_t>() >= 0))
      return fail(where_ + "field '" + key + "' must be a non-negative integer");
    auto n = v->get<std::uint64_t>();
    if (n > max) return fail(where_ + "field '" + key + "' is " + std::to_string(n) + ", above the limit of " + std::to_string(max));
    return n;
  }
  const json* get(const char* key) {
    auto it = obj_.find(key);
    if (it == obj_.end()) return nullptr;
    used_.insert(key);
    return &*it;
  }
  // Unknown or inapplicable fields are refused: a typo or a field another version meant
  // differently must not be silently dropped from what the signature covered.
  Result<void> no_others() {
    for (auto it = obj_.begin(); it != obj_.end(); ++it)
      if (!used_.count(it.key())) return fail(where_ + "has unknown or inapplicable field '" + it.key() + "'");
    return ok();
  }
  const std::string& where() const { return where_; }

 private:
  std::string missing(const char* key) const { return where_ + "is missing field '" + key + "'"; }
  const json& obj_;
  std::string where_;
  std::set<std::string> used_;
};

Result<std::uint32_t> parse_mode(Fields& f) {
  auto s = f.str("mode");
  if (!s) return fail(s.error());
  if (s->size() != 4) return fail(f.where() + "field 'mode' must be 4 octal digits, like \"0755\"");
  std::uint32_t mode = 0;
  for (char c : *s) {
    if (c < '0' || c > '7') return fail(f.where() + "field 'mode' must be 4 octal digits, like \"0755\"");
    mode = mode * 8 + std::uint32_t(c - '0');
  }
  return mode;
}

Result<void> parse_xattrs(Fields& f, Entry& e) {
  auto* x = f.get("xattrs");
  if (!x) return ok();
  if (!x->is_object()) return fail(f.where() + "field 'xattrs' must be an object of name: base64 value");
  if (x->size() > kMaxXattrsPerEntry) return fail(f.where() + "has more than " + std::to_string(kMaxXattrsPerEntry) + " xattrs");
  for (auto it = x->begin(); it != x->end(); ++it) {
    if (!it.value().is_string()) return fail(f.where() + "xattr '" + it.key() + "' must be a base64 string");
    auto& text = it.value().get_ref<const std::string&>();
    if (text.size() > (kMaxXattrValueSize + 2) / 3 * 4) return fail(f.where() + "xattr '" + it.key() + "' is too large");
    auto value = base64_decode(text);
    if (!value) return fail(f.where() + "xattr '" + it.key() + "': " + value.error().message());
    e.xattrs.emplace(it.key(), std::move(*value));
  }
  return ok();
}

// Fields every non-hardlink entry has.
Result<void> parse_inode(Fields& f, Entry& e) {
  if (e.type != EntryType::symlink) {
    auto mode = parse_mode(f);
    if (!mode) return fail(mode.error());
    e.mode = *mode;
  } else {
    e.mode = 0777;
  }
  auto uid = f.uint("uid", std::numeric_limits<std::uint32_t>::max());
  if (!uid) return fail(uid.error());
  auto gid = f.uint("gid", std::numeric_limits<std::uint32_t>::max());
  if (!gid) return fail(gid.error());
  auto mtime = f.uint("mtime", kMaxMtime);
  if (!mtime) return fail(mtime.error());
  e.uid = static_cast<std::uint32_t>(*uid);
  e.gid = static_cast<std::uint32_t>(*gid);
  e.mtime = static_cast<std::int64_t>(*mtime);
  return parse_xattrs(f, e);
}

Result<void> parse_type_fields(Fields& f, Entry& e) {
  switch (e.type) {
    case EntryType::file: {
      auto size = f.uint("size", kMaxFileSize);
      if (!size) return fail(size.error());
      e.size = *size;
      auto hex = f.str("sha256");
      if (!hex) return fail(hex.error());
      auto d = parse_digest(*hex);
      if (!d) return fail(f.where() + "field 'sha256': " + d.error().message());
      e.sha256 = *d;
      return ok();
    }
    case EntryType::symlink:
    case EntryType::hardlink: {
      auto t = f.str("target");
      if (!t) return fail(t.error());
      e.target = std::move(*t);
      return ok();
    }
    case EntryType::char_device:
    case EntryType::block_device: {
      // Linux dev_t: 12-bit major, 20-bit minor.
      auto major = f.uint("major", 0xfff);
      if (!major) return fail(major.error());
      auto minor = f.uint("minor", 0xfffff);
      if (!minor) return fail(minor.error());
      e.major = static_cast<std::uint32_t>(*major);
      e.minor = static_cast<std::uint32_t>(*minor);
      return ok();
    }
    default:
      return ok();
  }
}

Result<Entry> parse_entry(const json& j, std::size_t index) {
  std::string where = "manifest entry " + std::to_string(index) + " ";
  if (!j.is_object()) return fail(where + "is not an object");
  auto p = j.find("path");
  if (p == j.end() || !p->is_string()) return fail(where + "is missing field 'path' (a string)");
  Entry e;
  e.path = p->get<std::string>();
  std::string label = e.path.substr(0, 200);
  for (char& c : label)
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  Fields f(j, where + "('" + label + "') ");
  f.get("path");
  auto type = f.str("type");
  if (!type) return fail(type.error());
  auto t = parse_entry_type(*type);
  if (!t) return fail(f.where() + "has unknown type '" + type->substr(0, 40) + "' (file, dir, symlink, hardlink, char, block, fifo)");
  e.type = *t;
  if (e.type != EntryType::hardlink)
    if (auto r = parse_inode(f, e); !r) return fail(r.error());
  if (auto r = parse_type_fields(f, e); !r) return fail(r.error());
  if (auto r = f.no_others(); !r) return fail(r.error());
  return e;
}

Result<void> parse_header(Fields& f, Manifest& m) {
  auto format = f.uint("format", std::numeric_limits<std::uint32_t>::max());
  if (!format) return fail(format.error());
  if (*format != kManifestFormat)
    return fail("manifest format " + std::to_string(*format) + " is not supported (this ingot reads format " +
                std::to_string(kManifestFormat) + ")");
  auto name = f.str("name");
  if (!name) return fail(name.error());
  auto version = f.str("version");
  if (!version) return fail(version.error());
  auto created = f.uint("created", kMaxMtime);
  if (!created) return fail(created.error());
  m.name = std::move(*name);
  m.version = std::move(*version);
  m.created = static_cast<std::int64_t>(*created);
  auto* keep = f.get("keep");
  if (!keep || !keep->is_array()) return fail("manifest field 'keep' must be an array of patterns");
  if (keep->size() > kMaxKeepPatterns) return fail("manifest has more than " + std::to_string(kMaxKeepPatterns) + " keep patterns");
  for (auto& k : *keep) {
    if (!k.is_string()) return fail("manifest keep patterns must be strings");
    m.keep.push_back(k.get<std::string>());
  }
  return ok();
}

}  // namespace

Result<Manifest> parse_manifest(std::string_view text, const ManifestPolicy& policy) {
  if (text.size() > kMaxManifestBytes) return fail("manifest is larger than " + std::to_string(kMaxManifestBytes) + " bytes");
  if (auto r = check_nesting(text); !r) return fail(r.error());
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return fail("manifest is not valid JSON");
  if (!doc.is_object()) return fail("manifest must be a JSON object");
  Manifest m;
  Fields top(doc, "manifest ");
  if (auto r = parse_header(top, m); !r) return fail(r.error());
  auto* entries = top.get("entries");
  if (!entries || !entries->is_array()) return fail("manifest field 'entries' must be an array");
  if (entries->size() > kMaxEntries) return fail("manifest has more than " + std::to_string(kMaxEntries) + " entries");
  if (auto r = top.no_others(); !r) return fail(r.error());
  m.entries.reserve(entries->size());
  for (std::size_t i = 0; i < entries->size(); ++i) {
    auto e = parse_entry((*entries)[i], i);
    if (!e) return fail(e.error());
    m.entries.push_back(std::move(*e));
  }
  if (auto r = validate_manifest(m, policy); !r) return fail(r.error());
  return m;
}

}  // namespace ingot::image
