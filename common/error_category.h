// The std::error_category of a project error enum, from the category's name and the enum's
// `error_message`, so an error header declares its category in its make_error_code and its .cpp
// only lists the messages (the shape of Beast's http/error.hpp, without a category class per enum).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <system_error>

namespace ingot {

// A string literal as a template argument (C++20): the category's name is part of its type, so
// one enum's category is one object however many headers name it.
template <std::size_t N>
struct CategoryName {
  constexpr CategoryName(const char (&name)[N]) { std::copy_n(name, N, text); }
  char text[N];
};

// `error_message(Enum)`, found next to Enum, returns each code's text and nullptr for a number
// the enum does not name (an error_code can be built from any int); the category then answers
// with its name and the number.
template <typename Enum, CategoryName Name>
class EnumErrorCategory final : public std::error_category {
 public:
  constexpr EnumErrorCategory() noexcept = default;

  const char* name() const noexcept override { return Name.text; }
  std::string message(int code) const override {
    if (const char* text = error_message(static_cast<Enum>(code))) return text;
    return std::string(Name.text) + " error " + std::to_string(code);
  }
};

// Inline: one object per enum in the program, as error_code compares categories by address.
template <typename Enum, CategoryName Name>
inline constinit const EnumErrorCategory<Enum, Name> enum_error_category{};

// For the enum's make_error_code: make_error_code(MyError e) { return enum_error_code<"my">(e); }
template <CategoryName Name, typename Enum>
std::error_code enum_error_code(Enum e) {
  return {static_cast<int>(e), enum_error_category<Enum, Name>};
}

}  // namespace ingot
