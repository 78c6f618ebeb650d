#include "hwmatch/pool_error.h"

#include <string>

namespace ingot::hwmatch {
namespace {

class PoolCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "ingot.pool"; }
  std::string message(int c) const override {
    switch (static_cast<PoolError>(c)) {
      case PoolError::exhausted: return "pool exhausted";
      case PoolError::conflict: return "allocation conflict";
      case PoolError::bad_config: return "bad pool configuration";
      case PoolError::store_failed: return "pool store failed";
    }
    return "unknown pool error";
  }
};

}  // namespace

const std::error_category& pool_category() {
  static const PoolCategory c;
  return c;
}

}  // namespace ingot::hwmatch
