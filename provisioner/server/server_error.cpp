#include "provisioner/server/server_error.h"

namespace ingot::server {
namespace {

class ServerCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "ingot.server"; }
  std::string message(int code) const override {
    switch (static_cast<ServerError>(code)) {
      case ServerError::bad_request: return "bad request";
      case ServerError::unauthorized: return "missing credentials";
      case ServerError::forbidden: return "not allowed";
      case ServerError::not_found: return "not found";
      case ServerError::conflict: return "conflicts with the current state";
      case ServerError::bmc_failed: return "the BMC failed";
    }
    return "unknown server error";
  }
};

}  // namespace

const std::error_category& server_category() {
  static ServerCategory c;
  return c;
}

Error as_conflict(const Error& e) {
  if (e.code != std::errc::operation_not_permitted) return e;
  return Error{make_error_code(ServerError::conflict), e.message()};
}

}  // namespace ingot::server
