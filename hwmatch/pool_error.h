// Error codes of allocation pools, with their std::error_category, so callers (role
// selection, the provisioner's API) can tell "pool exhausted" from "store broken".
#pragma once

#include <system_error>

namespace ingot::hwmatch {

enum class PoolError {
  exhausted = 1,    // every value of a pool is held by other nodes
  conflict,         // the store kept refusing the values picked (concurrent allocators)
  bad_config,       // pools file: bad pattern, bad JSON, bad pre-assigned table
  store_failed,     // the backing store returned an error
};

const std::error_category& pool_category();
inline std::error_code make_error_code(PoolError e) { return {static_cast<int>(e), pool_category()}; }

}  // namespace ingot::hwmatch

template <>
struct std::is_error_code_enum<ingot::hwmatch::PoolError> : std::true_type {};
