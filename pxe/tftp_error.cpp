#include "pxe/tftp_error.h"

namespace ingot::pxe::tftp {

const char* error_message(Errc e) {
  switch (e) {
    case Errc::truncated: return "truncated packet";
    case Errc::bad_opcode: return "unknown opcode";
    case Errc::bad_string: return "malformed string field";
    case Errc::request_too_long: return "request longer than 512 bytes";
    case Errc::too_many_options: return "too many options";
    case Errc::duplicate_option: return "option given twice";
    case Errc::trailing_bytes: return "trailing bytes after packet";
    case Errc::payload_too_long: return "data payload longer than the largest block size";
    case Errc::unsupported_mode: return "only octet mode is supported";
    case Errc::path_refused: return "path leaves the TFTP root";
    case Errc::not_regular_file: return "not a regular file";
  }
  return nullptr;
}

}  // namespace ingot::pxe::tftp
