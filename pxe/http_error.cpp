#include "pxe/http_error.h"

namespace ingot::pxe {

const char* error_message(HttpError e) {
  switch (e) {
    case HttpError::bad_request: return "malformed request";
    case HttpError::body_too_large: return "request body too large";
    case HttpError::header_too_large: return "request header too large";
  }
  return nullptr;
}

}  // namespace ingot::pxe
