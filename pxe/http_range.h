// Byte-range requests for static files (RFC 9110 §14.1–14.4): one range is served as 206,
// a range that starts past the end is 416, and anything else (no header, bad syntax, other
// units, several ranges) is served whole as 200, which §14.2 allows a server to do.
#pragma once

#include <cstdint>
#include <string_view>

namespace ingot::pxe {

// Multi-range answers need multipart/byteranges bodies; boot clients never ask for them, and
// a download manager's request for N ranges is well served by the whole file. So: one range.
struct ByteRange {
  enum class Kind { whole, partial, unsatisfiable };
  Kind kind = Kind::whole;
  std::uint64_t first = 0;  // partial: inclusive bounds, clamped to the file
  std::uint64_t last = 0;
};

ByteRange parse_range(std::string_view header, std::uint64_t size);

}  // namespace ingot::pxe
