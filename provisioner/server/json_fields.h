// Fields of untrusted JSON bodies, read without exceptions: nlohmann's value() throws on a
// field of the wrong type, and nothing on a request path may throw.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace ingot::server {

// A string field: "" when absent or null, nullopt when present with another type.
inline std::optional<std::string> text_field(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return std::string();
  if (!j[key].is_string()) return std::nullopt;
  return j[key].get<std::string>();
}

}  // namespace ingot::server
