// An HTTP request as a handler sees it: method, percent-decoded path (RFC 3986 §2.1), decoded
// query parameters (application/x-www-form-urlencoded), header fields, and a body already held
// to the shell's limit. Independent of Beast, so handlers and tests never touch the parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace ingot::pxe {

struct HttpRequest {
  std::string method;  // "GET", "HEAD", "POST", ... as sent (tokens are case-sensitive, §9.1)
  std::string target;  // raw request-target, for logs
  std::string path;    // decoded, always starts with '/'
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent
  std::string body;
  bool keep_alive = true;
  std::string host;           // the client's Host header ("" when absent)
  std::string local_address;  // address the client reached us on (base URL fallback)

  // First query parameter with this name.
  std::optional<std::string_view> param(std::string_view name) const;
  // First header field with this name (case-insensitive), "" when absent.
  std::string_view header(std::string_view name) const;
};

// Decodes %XX escapes; '+' becomes a space only when plus_is_space (query strings). Fails on a
// truncated or non-hex escape, and on a decoded NUL (no file name or key may contain one).
Result<std::string> percent_decode(std::string_view in, bool plus_is_space);

// Splits a request-target into path and query and decodes both. Accepts origin-form
// ("/a?b=c") and absolute-form ("http://host/a", RFC 9112 §3.2.2); anything else fails.
Result<void> split_target(std::string_view target, HttpRequest& out);

bool iequals(std::string_view a, std::string_view b);

}  // namespace ingot::pxe
