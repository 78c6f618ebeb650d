// Line iteration shared by the line-oriented config formats (hardware.spec, the role order
// file): LF or CRLF endings, a last line without a newline still counts.
#pragma once

#include <string_view>

namespace ingot::hwmatch {

// The line starting at pos, without its line ending; advances pos past it.
inline std::string_view next_line(std::string_view text, std::size_t& pos) {
  std::size_t nl = text.find('\n', pos);
  std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
  pos = nl == std::string_view::npos ? text.size() : nl + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace ingot::hwmatch
