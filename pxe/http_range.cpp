#include "pxe/http_range.h"

#include "common/text.h"

#include <charconv>

namespace ingot::pxe {
namespace {
// A run of digits only: from_chars alone would accept a leading '-' and stop at junk.
bool parse_u64(std::string_view s, std::uint64_t& out) {
  if (s.empty() || s.size() > 19) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}
}  // namespace

ByteRange parse_range(std::string_view header, std::uint64_t size) {
  ByteRange whole;
  header = trim_blanks(header);
  if (!header.starts_with("bytes=")) return whole;
  auto spec = trim_blanks(header.substr(6));
  if (spec.find(',') != std::string_view::npos) return whole;
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  auto a = trim_blanks(spec.substr(0, dash)), b = trim_blanks(spec.substr(dash + 1));
  ByteRange r{ByteRange::Kind::partial, 0, 0};
  if (a.empty()) {  // suffix: the last N bytes
    std::uint64_t n = 0;
    if (!parse_u64(b, n)) return whole;
    if (n == 0 || size == 0) return {ByteRange::Kind::unsatisfiable, 0, 0};
    r.first = n >= size ? 0 : size - n;
    r.last = size - 1;
    return r;
  }
  if (!parse_u64(a, r.first)) return whole;
  if (b.empty()) {
    r.last = size ? size - 1 : 0;
  } else {
    if (!parse_u64(b, r.last) || r.last < r.first) return whole;  // §14.1.1: invalid, ignore it
  }
  if (r.first >= size) return {ByteRange::Kind::unsatisfiable, 0, 0};
  if (r.last >= size) r.last = size - 1;
  return r;
}

}  // namespace ingot::pxe
