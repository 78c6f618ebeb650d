#include "hwmatch/pool_range.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <charconv>

namespace ingot::hwmatch {
namespace {

// Big enough for any hostname number, small enough that start+count never overflows.
constexpr std::uint64_t kMaxNumber = 999'999'999'999'999ULL;

bool digit(char c) { return c >= '0' && c <= '9'; }

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

bool parse_v6(std::string_view s, std::array<std::uint8_t, 16>& out) {
  if (s.empty() || s.size() >= INET6_ADDRSTRLEN) return false;
  return inet_pton(AF_INET6, std::string(s).c_str(), out.data()) == 1;
}

std::string fail_text(std::string_view pattern, const std::string& why) {
  return "pool pattern '" + std::string(pattern) + "': " + why;
}

}  // namespace

Result<ValueRange::Segments> ValueRange::parse_segments(std::string_view text, bool allow_single,
                                                        std::uint64_t max_value) {
  Segments out;
  auto parts = split(text, ':');
  if (parts.size() > kMaxRangeSegments)
    return fail("more than " + std::to_string(kMaxRangeSegments) + " ':'-joined ranges");
  for (auto part : parts) {
    auto bounds = split(part, '-');
    if (bounds.size() > 2 || (bounds.size() == 1 && !allow_single))
      return fail("'" + std::string(part) + "' is not a range like 10-20");
    std::uint64_t v[2] = {0, 0};
    for (std::size_t k = 0; k < bounds.size(); ++k) {
      auto b = bounds[k];
      if (b.empty() || b.size() > 15 || !std::all_of(b.begin(), b.end(), digit))
        return fail("'" + std::string(b) + "' is not a number");
      std::from_chars(b.data(), b.data() + b.size(), v[k]);
      if (v[k] > max_value) return fail(std::string(b) + " is larger than " + std::to_string(max_value));
    }
    if (bounds.size() == 1) v[1] = v[0];
    Segment s;
    s.start = v[0];
    s.descending = v[1] < v[0];
    s.count = (s.descending ? v[0] - v[1] : v[1] - v[0]) + 1;
    // eDeploy: a first bound written with a leading zero fixes the width ("001-250").
    s.width = bounds[0].size() > 1 && bounds[0][0] == '0' ? bounds[0].size() : 0;
    out.push_back(s);
  }
  // Overlapping ranges would hand out one value twice and make "first free" scans unbounded.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> spans;
  for (const auto& s : out) spans.emplace_back(s.descending ? s.start - (s.count - 1) : s.start, s.count);
  std::sort(spans.begin(), spans.end());
  for (std::size_t k = 1; k < spans.size(); ++k)
    if (spans[k].first < spans[k - 1].first + spans[k - 1].second)
      return fail("ranges overlap at " + std::to_string(spans[k].first));
  return out;
}

std::uint64_t ValueRange::total(const Segments& s) {
  std::uint64_t n = 0;
  for (const auto& seg : s) n += seg.count;  // each count <= kMaxNumber, at most 64 of them
  return n;
}

std::string ValueRange::segment_value(const Segments& segs, std::uint64_t i) {
  for (const auto& s : segs) {
    if (i >= s.count) {
      i -= s.count;
      continue;
    }
    std::string n = std::to_string(s.descending ? s.start - i : s.start + i);
    if (n.size() < s.width) n.insert(0, s.width - n.size(), '0');
    return n;
  }
  return {};
}

Result<ValueRange> ValueRange::parse(std::string_view pattern) {
  if (pattern.empty()) return fail(std::string("pool pattern is empty"));
  if (pattern.size() > kMaxPoolPattern)
    return fail(fail_text(pattern.substr(0, 40), "longer than " + std::to_string(kMaxPoolPattern) + " bytes"));
  ValueRange r;
  r.pattern_ = std::string(pattern);

  // IPv6: "start-end" with end a full address or the last group in hex.
  auto dash = pattern.find('-');
  if (std::count(pattern.begin(), pattern.end(), ':') >= 2 && dash != std::string_view::npos) {
    std::array<std::uint8_t, 16> a{}, b{};
    if (parse_v6(pattern.substr(0, dash), a)) {
      std::string_view end = pattern.substr(dash + 1);
      if (!parse_v6(end, b)) {
        std::uint64_t group = 0;
        auto [p, ec] = std::from_chars(end.data(), end.data() + end.size(), group, 16);
        if (end.empty() || end.size() > 4 || ec != std::errc() || p != end.data() + end.size())
          return fail(fail_text(pattern, "range end is neither an IPv6 address nor a last group in hex"));
        b = a;
        b[14] = static_cast<std::uint8_t>(group >> 8);
        b[15] = static_cast<std::uint8_t>(group);
      }
      if (b < a) return fail(fail_text(pattern, "IPv6 range ends before it starts"));
      // end - start, byte-wise with borrow; anything past 64 bits is far over the limit.
      std::array<std::uint8_t, 16> d{};
      int borrow = 0;
      for (int k = 15; k >= 0; --k) {
        int x = b[k] - a[k] - borrow;
        borrow = x < 0;
        d[k] = static_cast<std::uint8_t>(x + (borrow ? 256 : 0));
      }
      std::uint64_t diff = 0;
      bool huge = std::any_of(d.begin(), d.begin() + 8, [](std::uint8_t x) { return x != 0; });
      for (int k = 8; k < 16; ++k) diff = diff << 8 | d[k];
      if (huge || diff >= kMaxRangeValues)
        return fail(fail_text(pattern, "more than " + std::to_string(kMaxRangeValues) + " addresses"));
      r.kind_ = Kind::ipv6;
      r.v6_start_ = a;
      r.size_ = diff + 1;
      return r;
    }
  }

  // IPv4: four dot-separated octets, at least one of them a range.
  auto parts = split(pattern, '.');
  bool ip_chars = std::all_of(pattern.begin(), pattern.end(),
                              [](char c) { return digit(c) || c == '.' || c == '-' || c == ':'; });
  if (parts.size() == 4 && ip_chars && pattern.find_first_of(":-") != std::string_view::npos) {
    std::uint64_t size = 1;
    for (std::size_t k = 0; k < 4; ++k) {
      auto segs = parse_segments(parts[k], /*allow_single=*/true, 255);
      if (!segs) return fail(fail_text(pattern, "octet " + std::to_string(k + 1) + ": " + segs.error().message()));
      for (auto& s : *segs) s.width = 0;
      r.octets_[k] = std::move(*segs);
      size *= total(r.octets_[k]);  // at most 2^32 * 64*256 before the check: no overflow
      if (size > kMaxRangeValues)
        return fail(fail_text(pattern, "more than " + std::to_string(kMaxRangeValues) + " addresses"));
    }
    r.kind_ = Kind::ipv4;
    r.size_ = size;
    return r;
  }

  // Numbered names: the first "digits-digits" (then ":digits-digits"…) is the range.
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (!digit(pattern[i])) continue;
    std::size_t j = i;
    while (j < pattern.size() && digit(pattern[j])) ++j;
    if (j + 1 >= pattern.size() || pattern[j] != '-' || !digit(pattern[j + 1])) {
      i = j;
      continue;
    }
    std::size_t end = j + 1;
    while (end < pattern.size() && digit(pattern[end])) ++end;
    // Further ':'-joined ranges.
    while (end < pattern.size() && pattern[end] == ':') {
      std::size_t k = end + 1, d0 = k;
      while (k < pattern.size() && digit(pattern[k])) ++k;
      if (k == d0 || k + 1 >= pattern.size() || pattern[k] != '-' || !digit(pattern[k + 1])) break;
      ++k;
      while (k < pattern.size() && digit(pattern[k])) ++k;
      end = k;
    }
    auto segs = parse_segments(pattern.substr(i, end - i), /*allow_single=*/false, kMaxNumber);
    if (!segs) return fail(fail_text(pattern, segs.error().message()));
    r.kind_ = Kind::numbered;
    r.head_ = std::string(pattern.substr(0, i));
    r.foot_ = std::string(pattern.substr(end));
    r.numbers_ = std::move(*segs);
    r.size_ = total(r.numbers_);
    if (r.size_ > kMaxRangeValues)
      return fail(fail_text(pattern, "more than " + std::to_string(kMaxRangeValues) + " values"));
    return r;
  }
  return r;  // no range at all: a constant
}

std::string ValueRange::at(std::uint64_t i) const {
  switch (kind_) {
    case Kind::constant:
      return pattern_;
    case Kind::numbered:
      return head_ + segment_value(numbers_, i) + foot_;
    case Kind::ipv4: {
      std::string parts[4];
      for (int k = 3; k >= 0; --k) {
        std::uint64_t n = total(octets_[k]);
        parts[k] = segment_value(octets_[k], i % n);
        i /= n;
      }
      return parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3];
    }
    case Kind::ipv6: {
      std::array<std::uint8_t, 16> a = v6_start_;
      unsigned carry = 0;
      for (int k = 15; k >= 0; --k) {
        unsigned x = a[k] + static_cast<unsigned>(i & 0xFF) + carry;
        a[k] = static_cast<std::uint8_t>(x);
        carry = x >> 8;
        i >>= 8;
      }
      char buf[INET6_ADDRSTRLEN];
      return inet_ntop(AF_INET6, a.data(), buf, sizeof buf) ? buf : "";
    }
  }
  return {};
}

}  // namespace ingot::hwmatch
