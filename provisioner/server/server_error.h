// The server core's error codes, with their category: what a decision's failure means to the
// one who asked. The API edge (api_support.cpp, http_status) turns them into HTTP statuses;
// errors of any other category (SQLite, the filesystem) are the server's own faults: 500.
#pragma once

#include <string>
#include <system_error>

#include "common/error_category.h"
#include "common/result.h"

namespace ingot::server {

enum class ServerError {
  bad_request = 1,  // the request's shape or a field is wrong: fix the request
  unauthorized,     // no credentials
  forbidden,        // credentials that may not do this
  not_found,        // no such node, rollout or image
  conflict,         // not now: the node's state, a full role, a name taken
  bmc_failed,       // the node's BMC did not do what was asked
};

// Each code's text; nullptr for a number the enum does not name.
const char* error_message(ServerError e);
inline std::error_code make_error_code(ServerError e) { return enum_error_code<"ingot.server">(e); }
inline const std::error_category& server_category() { return enum_error_category<ServerError, "ingot.server">; }

inline Unexpected refuse(ServerError e, std::string message) { return fail(make_error_code(e), std::move(message)); }

// The inventory refuses a state change with errc::operation_not_permitted: for the one who
// asked, a conflict. Any other error (the database) stays what it is.
Error as_conflict(const Error& e);

}  // namespace ingot::server

template <>
struct std::is_error_code_enum<ingot::server::ServerError> : std::true_type {};
