// Error codes of allocation pools, with their std::error_category, so callers (role
// selection, the provisioner's API) can tell "pool exhausted" from "store broken".
#pragma once

#include <system_error>

#include "common/error_category.h"

namespace ingot::hwmatch {

enum class PoolError {
  exhausted = 1,    // every value of a pool is held by other nodes
  conflict,         // the store kept refusing the values picked (concurrent allocators)
  bad_config,       // pools file: bad pattern, bad JSON, bad pre-assigned table
  store_failed,     // the backing store returned an error
};

// Each code's text; nullptr for a number the enum does not name.
const char* error_message(PoolError e);
inline std::error_code make_error_code(PoolError e) { return enum_error_code<"ingot.pool">(e); }

}  // namespace ingot::hwmatch

template <>
struct std::is_error_code_enum<ingot::hwmatch::PoolError> : std::true_type {};
