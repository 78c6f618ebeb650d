// Validators for static files (RFC 9110 §8.8): a strong ETag from inode, size and mtime (any
// rewrite changes one of them), Last-Modified as an IMF-fixdate, and the checks behind 304
// (If-None-Match, §13.1.2) and If-Range (§13.1.5).
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

namespace ingot::pxe {

struct FileValidators {
  std::string etag;           // quoted: "\"1a2b-400-5f3c...\""
  std::string last_modified;  // "Sun, 06 Nov 1994 08:49:37 GMT"
};

FileValidators file_validators(std::uint64_t inode, std::uint64_t size, std::int64_t mtime_ns);

// IMF-fixdate (RFC 9110 §5.6.7) for a time in seconds since the epoch.
std::string http_date(std::time_t t);

// True when If-None-Match lists this ETag or is "*": answer 304. Weak comparison (§8.8.3.2),
// so W/"x" matches "x".
bool none_match_hits(std::string_view if_none_match, std::string_view etag);

// True when a Range may be honoured under this If-Range value (empty: no If-Range). A strong
// ETag must match exactly; a date must equal Last-Modified (we never send weak validators).
bool if_range_allows(std::string_view if_range, const FileValidators& v);

}  // namespace ingot::pxe
