// zstd-coded manifests: the Accept-Encoding check (RFC 9110 §12.5.3) and the encoded cache.
#include "provisioner/server/manifest_encoding.h"

#include <cctype>
#include <list>
#include <mutex>
#include <tuple>

#include "imagebuilder/file_io.h"
#include "imagebuilder/manifest_json.h"
#include "imagebuilder/object_codec.h"
#include "pxe/http_request.h"

namespace ingot::server {
namespace {

// Level 9: a manifest is encoded once per version and then served from the cache to the whole
// fleet, so a slower level that saves bytes on every fetch is worth it (2 MB JSON: ~40 ms).
constexpr int kManifestZstdLevel = 9;
// Encoded manifests kept: the versions a rollout moves between (current, next, a rollback) for
// a few roles; each entry is a few hundred KB.
constexpr std::size_t kManifestCacheEntries = 16;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A weight is "q=" then 0, 0.0.., 1 or 1.0.. (§12.4.2); only an exact zero refuses.
bool zero_weight(std::string_view params) {
  while (!params.empty()) {
    auto semi = params.find(';');
    std::string_view p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (p.size() < 2 || std::tolower(static_cast<unsigned char>(p[0])) != 'q' || p[1] != '=') continue;
    std::string_view v = trim(p.substr(2));
    if (v.empty() || v[0] != '0') return false;
    for (char c : v.substr(1))
      if (c != '.' && c != '0') return false;
    return true;
  }
  return false;
}

struct Entry {
  std::string path;
  std::uintmax_t size;
  std::int64_t mtime;
  std::shared_ptr<const std::string> encoded;
};

std::mutex cache_mutex;
std::list<Entry> cache;  // most recently used first

}  // namespace

bool accepts_zstd(std::string_view accept_encoding) {
  while (!accept_encoding.empty()) {
    auto comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
    auto semi = item.find(';');
    std::string_view coding = trim(item.substr(0, semi));
    if (pxe::iequals(coding, "zstd"))
      return semi == std::string_view::npos || !zero_weight(item.substr(semi + 1));
  }
  return false;
}

Result<std::shared_ptr<const std::string>> zstd_encoded_manifest(const std::filesystem::path& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(path.string() + ": " + ec.message());
  auto mtime = std::filesystem::last_write_time(path, ec);
  if (ec) return fail(path.string() + ": " + ec.message());
  std::int64_t mtime_ns = mtime.time_since_epoch().count();
  {
    std::lock_guard lock(cache_mutex);
    for (auto it = cache.begin(); it != cache.end(); ++it) {
      if (it->path == path.string() && it->size == size && it->mtime == mtime_ns) {
        cache.splice(cache.begin(), cache, it);
        return cache.front().encoded;
      }
    }
  }
  auto text = image::read_file_limited(path, image::kMaxManifestBytes);
  if (!text) return fail(text.error());
  auto out = image::zstd_compress(*text, kManifestZstdLevel);
  if (!out) return fail(path.string() + ": " + out.error().message());
  auto encoded = std::make_shared<const std::string>(std::move(*out));
  std::lock_guard lock(cache_mutex);
  cache.push_front(Entry{path.string(), size, mtime_ns, encoded});
  if (cache.size() > kManifestCacheEntries) cache.pop_back();
  return encoded;
}

}  // namespace ingot::server
