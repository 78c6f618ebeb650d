#include "pxe/http_request.h"

#include <cctype>

#include "common/text.h"

namespace ingot::pxe {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::optional<std::string_view> HttpRequest::param(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return std::string_view(v);
  return std::nullopt;
}

std::string_view HttpRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return {};
}

Result<std::string> percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return fail("truncated %-escape");
      int hi = hex_digit_value(in[i + 1]), lo = hex_digit_value(in[i + 2]);
      if (hi < 0 || lo < 0) return fail("bad %-escape");
      c = static_cast<char>(hi << 4 | lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return fail("decoded NUL");
    out.push_back(c);
  }
  return out;
}

Result<void> split_target(std::string_view target, HttpRequest& out) {
  if (target.starts_with("http://") || target.starts_with("https://")) {
    auto authority = target.find("//") + 2;
    auto slash = target.find_first_of("/?", authority);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    if (target.front() == '?') return fail("absolute-form target without a path");
  }
  if (target.empty() || target.front() != '/') return fail("request-target is not origin-form");
  auto q = target.find('?');
  auto raw_path = target.substr(0, q);
  auto raw_query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  if (auto hash = raw_query.find('#'); hash != std::string_view::npos) raw_query = raw_query.substr(0, hash);
  auto path = percent_decode(raw_path, false);
  if (!path) return fail("path: " + path.error().message());
  out.path = std::move(*path);
  out.query.clear();
  while (!raw_query.empty()) {
    auto amp = raw_query.find('&');
    auto pair = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!key || !value) return fail("query: bad %-escape");
    out.query.emplace_back(std::move(*key), std::move(*value));
  }
  return ok();
}

}  // namespace ingot::pxe
