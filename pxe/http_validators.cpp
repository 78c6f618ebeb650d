#include "pxe/http_validators.h"

#include "common/text.h"

#include <cstdio>

namespace ingot::pxe {
namespace {
std::string_view opaque(std::string_view tag) { return tag.starts_with("W/") ? tag.substr(2) : tag; }
}  // namespace

FileValidators file_validators(std::uint64_t inode, std::uint64_t size, std::int64_t mtime_ns) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "\"%llx-%llx-%llx\"", static_cast<unsigned long long>(inode),
                static_cast<unsigned long long>(size), static_cast<unsigned long long>(mtime_ns));
  std::time_t secs = static_cast<std::time_t>(mtime_ns / 1'000'000'000);
  return FileValidators{buf, http_date(secs)};
}

std::string http_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  // strftime's %a/%b follow the locale; RFC 9110 wants the English names.
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7], tm.tm_mday,
                months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

bool none_match_hits(std::string_view header, std::string_view etag) {
  header = trim_blanks(header);
  if (header.empty()) return false;
  if (header == "*") return true;
  while (!header.empty()) {
    auto comma = header.find(',');
    auto tag = trim_blanks(header.substr(0, comma));
    if (opaque(tag) == opaque(etag)) return true;
    if (comma == std::string_view::npos) break;
    header = header.substr(comma + 1);
  }
  return false;
}

bool if_range_allows(std::string_view if_range, const FileValidators& v) {
  if_range = trim_blanks(if_range);
  if (if_range.empty()) return true;
  if (if_range.front() == '"') return if_range == v.etag;
  return if_range == v.last_modified;
}

}  // namespace ingot::pxe
