#include "pxe/tftp_error.h"

#include <string>

namespace ingot::pxe::tftp {
namespace {

class Category : public std::error_category {
 public:
  const char* name() const noexcept override { return "tftp"; }
  std::string message(int v) const override {
    switch (static_cast<Errc>(v)) {
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
    return "unknown tftp error";
  }
};

}  // namespace

const std::error_category& category() {
  static const Category c;
  return c;
}

}  // namespace ingot::pxe::tftp
