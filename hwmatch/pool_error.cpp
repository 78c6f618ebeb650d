#include "hwmatch/pool_error.h"

namespace ingot::hwmatch {

const char* error_message(PoolError e) {
  switch (e) {
    case PoolError::exhausted: return "pool exhausted";
    case PoolError::conflict: return "allocation conflict";
    case PoolError::bad_config: return "bad pool configuration";
    case PoolError::store_failed: return "pool store failed";
  }
  return nullptr;
}

}  // namespace ingot::hwmatch
