#include "provisioner/server/server_error.h"

namespace ingot::server {

const char* error_message(ServerError e) {
  switch (e) {
    case ServerError::bad_request: return "bad request";
    case ServerError::unauthorized: return "missing credentials";
    case ServerError::forbidden: return "not allowed";
    case ServerError::not_found: return "not found";
    case ServerError::conflict: return "conflicts with the current state";
    case ServerError::bmc_failed: return "the BMC failed";
  }
  return nullptr;
}

Error as_conflict(const Error& e) {
  if (e.code != std::errc::operation_not_permitted) return e;
  return Error{make_error_code(ServerError::conflict), e.message()};
}

}  // namespace ingot::server
