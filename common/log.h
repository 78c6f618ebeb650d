// Line-oriented logging with a subsystem tag: "2026-11-25T02:10:52.123Z info dhcp: ...".
// One write per line so concurrent threads never interleave within a line.
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace ingot::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

void set_level(Level level);
Level level();
// Parses "debug|info|warn|error"; returns false on anything else.
bool parse_level(std::string_view text, Level& out);
void write(Level level, std::string_view subsystem, std::string_view message);

// Usage: INGOT_LOG(info, "tftp") << "sent " << name << " to " << peer;
class Line {
 public:
  Line(Level level, std::string_view subsystem) : level_(level), subsystem_(subsystem) {}
  ~Line() { write(level_, subsystem_, out_.str()); }
  template <typename T>
  Line& operator<<(const T& v) {
    out_ << v;
    return *this;
  }

 private:
  Level level_;
  std::string_view subsystem_;
  std::ostringstream out_;
};

}  // namespace ingot::log

// A for-statement, not an if/else, so `if (x) INGOT_LOG(...) << ...;` has no dangling else.
#define INGOT_LOG(lvl, subsystem)                                                                      \
  for (bool ingot_log_once_ = ::ingot::log::Level::lvl >= ::ingot::log::level(); ingot_log_once_;     \
       ingot_log_once_ = false)                                                                        \
  ::ingot::log::Line(::ingot::log::Level::lvl, subsystem)
