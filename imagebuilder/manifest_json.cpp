#include "imagebuilder/manifest_json.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <limits>

#include "imagebuilder/base64.h"

namespace ingot::image {
namespace {

using json = nlohmann::json;

// Our own escaper: no exceptions, and exactly one spelling per string (the canonical form).
void put_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void put_key(std::string& out, std::string_view key) {
  out += ",\"";
  out += key;
  out += "\":";
}

void put_entry(std::string& out, const Entry& e) {
  out += "{\"path\":";
  put_string(out, e.path);
  put_key(out, "type");
  put_string(out, to_string(e.type));
  if (e.type == EntryType::hardlink) {
    put_key(out, "target");
    put_string(out, e.target);
    out += '}';
    return;
  }
  if (e.type != EntryType::symlink) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", e.mode);
    put_key(out, "mode");
    put_string(out, mode);
  }
  put_key(out, "uid");
  out += std::to_string(e.uid);
  put_key(out, "gid");
  out += std::to_string(e.gid);
  if (e.type == EntryType::file) {
    put_key(out, "size");
    out += std::to_string(e.size);
  }
  put_key(out, "mtime");
  out += std::to_string(e.mtime);
  if (e.type == EntryType::file) {
    put_key(out, "sha256");
    put_string(out, e.sha256.hex());
  }
  if (e.type == EntryType::symlink) {
    put_key(out, "target");
    put_string(out, e.target);
  }
  if (e.type == EntryType::char_device || e.type == EntryType::block_device) {
    put_key(out, "major");
    out += std::to_string(e.major);
    put_key(out, "minor");
    out += std::to_string(e.minor);
  }
  if (!e.xattrs.empty()) {
    put_key(out, "xattrs");
    char sep = '{';
    for (auto& [name, value] : e.xattrs) {  // std::map: sorted by name
      out += sep;
      sep = ',';
      put_string(out, name);
      out += ':';
      put_string(out, base64_encode(value));
    }
    out += '}';
  }
  out += '}';
}

}  // namespace

std::string manifest_to_json(const Manifest& m) {
  std::string out;
  out.reserve(64 + m.entries.size() * 160);
  out += "{\"format\":" + std::to_string(kManifestFormat);
  put_key(out, "name");
  put_string(out, m.name);
  put_key(out, "version");
  put_string(out, m.version);
  put_key(out, "created");
  out += std::to_string(m.created);
  put_key(out, "keep");
  out += '[';
  for (std::size_t i = 0; i < m.keep.size(); ++i) {
    if (i) out += ',';
    put_string(out, m.keep[i]);
  }
  out += "],\n\"entries\":[\n";
  for (std::size_t i = 0; i < m.entries.size(); ++i) {
    put_entry(out, m.entries[i]);
    out += i + 1 < m.entries.size() ? ",\n" : "\n";
  }
  out += "]}\n";
  return out;
}

}  // namespace ingot::image
