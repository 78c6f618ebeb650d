// eDeploy-style value generators for allocation pools (eDeploy's generate.py, reimplemented):
//   "host001-250"          host001 … host250 (zero padding from the first bound's width)
//   "node1-3:7-8.lab"      node1.lab node2.lab node3.lab node7.lab node8.lab (ranges joined by ':')
//   "10.0.0.10-20"         IPv4: every octet may be a range list; the last octet varies fastest
//   "10.0.1-2.1-254"       10.0.1.1 … 10.0.1.254, 10.0.2.1 … 10.0.2.254
//   "fd00::10-fd00::ff"    IPv6: inclusive range of addresses (or "fd00::10-ff": last group)
//   "10.0.0.1"             no range: a constant every node gets
// Ranges are indexed, never expanded: a pool of 2^32 addresses costs nothing until used.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ingot::hwmatch {

// A pattern is one line of a config file: 1 KiB is generous and bounds parsing.
inline constexpr std::size_t kMaxPoolPattern = 1024;
// ':'-joined ranges in one pattern (or per octet).
inline constexpr std::size_t kMaxRangeSegments = 64;
// Values in one range: 2^32 is a whole IPv4 space; bigger IPv6 ranges are a typo'd prefix.
inline constexpr std::uint64_t kMaxRangeValues = 1ULL << 32;

class ValueRange {
 public:
  static Result<ValueRange> parse(std::string_view pattern);

  const std::string& pattern() const { return pattern_; }
  bool constant() const { return kind_ == Kind::constant; }
  std::uint64_t size() const { return size_; }
  std::string at(std::uint64_t i) const;  // requires i < size()

 private:
  enum class Kind { constant, numbered, ipv4, ipv6 };
  struct Segment {  // start, start±1, … : count values, each printed at least width digits
    std::uint64_t start = 0;
    std::uint64_t count = 0;
    bool descending = false;
    std::size_t width = 0;
  };
  using Segments = std::vector<Segment>;

  static Result<Segments> parse_segments(std::string_view text, bool allow_single, std::uint64_t max_value);
  static std::string segment_value(const Segments& s, std::uint64_t i);
  static std::uint64_t total(const Segments& s);

  Kind kind_ = Kind::constant;
  std::string pattern_;
  std::uint64_t size_ = 1;
  std::string head_, foot_;          // numbered: text around the range
  Segments numbers_;                 // numbered
  std::array<Segments, 4> octets_;   // ipv4
  std::array<std::uint8_t, 16> v6_start_{};
};

}  // namespace ingot::hwmatch
