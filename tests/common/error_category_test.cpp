// EnumErrorCategory: an enum's codes carry its name and messages, a number the enum does not
// name still gets a readable message, and codes of one enum compare equal across make_error_code
// calls (one category object) but never equal to another enum's code with the same number.
#include <doctest/doctest.h>

#include <ostream>  // doctest prints error_codes on failure
#include <string>
#include <system_error>

#include "common/error_category.h"

namespace sample {

enum class ColourError { too_red = 1, too_blue };
enum class ShapeError { too_round = 1 };

const char* error_message(ColourError e) {
  switch (e) {
    case ColourError::too_red: return "too red";
    case ColourError::too_blue: return "too blue";
  }
  return nullptr;
}
const char* error_message(ShapeError e) { return e == ShapeError::too_round ? "too round" : nullptr; }

inline std::error_code make_error_code(ColourError e) { return ingot::enum_error_code<"test.colour">(e); }
inline std::error_code make_error_code(ShapeError e) { return ingot::enum_error_code<"test.shape">(e); }

}  // namespace sample

template <>
struct std::is_error_code_enum<sample::ColourError> : std::true_type {};
template <>
struct std::is_error_code_enum<sample::ShapeError> : std::true_type {};

TEST_CASE("an enum's error codes carry its category name and messages") {
  std::error_code red = sample::ColourError::too_red;
  CHECK(std::string(red.category().name()) == "test.colour");
  CHECK(red.message() == "too red");
  CHECK(std::error_code(sample::ColourError::too_blue).message() == "too blue");
  CHECK(std::error_code(7, red.category()).message() == "test.colour error 7");
}

TEST_CASE("one category object per enum, distinct between enums") {
  CHECK(std::error_code(sample::ColourError::too_red) == make_error_code(sample::ColourError::too_red));
  const std::error_category& blue = std::error_code(sample::ColourError::too_blue).category();
  CHECK(&blue == &make_error_code(sample::ColourError::too_red).category());
  std::error_code round = sample::ShapeError::too_round;
  CHECK(round.value() == std::error_code(sample::ColourError::too_red).value());
  CHECK(round != std::error_code(sample::ColourError::too_red));
  CHECK(round.message() == "too round");
}
