// Result<T>: a value or an error (code + human context), shaped like std::expected so it can
// be swapped for it later. Recoverable errors are return values; nothing on a packet path throws.
#pragma once

#include <cassert>
#include <string>
#include <system_error>
#include <utility>
#include <variant>

namespace ingot {

struct Error {
  std::error_code code;
  std::string context;  // what failed, with the file/field/peer that makes it actionable

  // The context when there is one (it should already say what went wrong), else the code's text.
  std::string message() const { return context.empty() ? code.message() : context; }
};

struct Unexpected {
  Error error;
};

inline Unexpected fail(std::error_code code, std::string context = {}) {
  return Unexpected{Error{code, std::move(context)}};
}
inline Unexpected fail(Error e) { return Unexpected{std::move(e)}; }
// An error that is only a message (operator errors: bad spec, bad recipe, bad flag).
inline Unexpected fail(std::string context) {
  return Unexpected{Error{std::make_error_code(std::errc::invalid_argument), std::move(context)}};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Unexpected u) : v_(std::move(u.error)) {}

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { assert(has_value()); return std::get<0>(v_); }
  const T& value() const& { assert(has_value()); return std::get<0>(v_); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { assert(!has_value()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Unexpected u) : err_(std::move(u.error)), failed_(true) {}

  bool has_value() const { return !failed_; }
  explicit operator bool() const { return has_value(); }
  const Error& error() const { assert(failed_); return err_; }

 private:
  Error err_;
  bool failed_ = false;
};

inline Result<void> ok() { return {}; }

}  // namespace ingot
