// Error codes of the TFTP codec and server (why a packet or request was refused), with a
// std::error_category so they travel in Result<T> like any other error.
#pragma once

#include <system_error>

#include "common/error_category.h"

namespace ingot::pxe::tftp {

enum class Errc {
  truncated = 1,         // packet ends inside a field
  bad_opcode,            // opcode outside 1..6
  bad_string,            // unterminated, over-long or empty string field
  request_too_long,      // request over kMaxRequestSize (RFC 2347 §2)
  too_many_options,      // more than kMaxOptions option pairs
  duplicate_option,      // the same option named twice
  trailing_bytes,        // bytes after a fixed-size packet (ACK) or a final string
  payload_too_long,      // DATA payload over kMaxBlksize
  unsupported_mode,      // anything but "octet" (netascii and mail are refused)
  path_refused,          // absolute, "..", or resolves outside the root
  not_regular_file,      // a directory, device or fifo
};

// Each code's text; nullptr for a number the enum does not name.
const char* error_message(Errc e);
inline std::error_code make_error_code(Errc e) { return enum_error_code<"tftp">(e); }

}  // namespace ingot::pxe::tftp

template <>
struct std::is_error_code_enum<ingot::pxe::tftp::Errc> : std::true_type {};
