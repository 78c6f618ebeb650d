// Why the HTTP shell refused a request before any handler saw it, as a std::error_code whose
// value is the status it answers with (RFC 9110 §15.5: 400, 413, 431 from RFC 6585 §5).
#pragma once

#include <system_error>

#include "common/error_category.h"

namespace ingot::pxe {

enum class HttpError {
  bad_request = 400,        // unparseable request line, header or chunk framing
  body_too_large = 413,     // Content-Length or chunked body above kMaxBodyBytes
  header_too_large = 431,   // request line + header fields above kMaxHeaderBytes
};

// Each code's text; nullptr for a number the enum does not name.
const char* error_message(HttpError e);
inline std::error_code make_error_code(HttpError e) { return enum_error_code<"http">(e); }

}  // namespace ingot::pxe

template <>
struct std::is_error_code_enum<ingot::pxe::HttpError> : std::true_type {};
