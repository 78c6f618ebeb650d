// Subcommand registry and flag parsing shared by the `ingot` and `ingot-agent` executables.
// Each subcommand lives in its own file and registers itself with INGOT_COMMAND, so adding a
// command never touches a central list.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ingot::cli {

using Args = std::vector<std::string>;

struct Command {
  std::string name;     // "serve", "image build", "node list": words of the command line
  std::string summary;  // one line for `ingot help`
  std::function<int(const Args&)> run;  // gets the arguments after the command words
};

bool register_command(Command c);
const std::map<std::string, Command>& commands();

// Dispatches argv to the longest registered command prefix; prints help on no match.
int dispatch(std::string_view program, int argc, char** argv);

// Minimal flag parser: "--name value", "--name=value", boolean "--flag", positionals.
// Unknown flags are an error (typos must not be silently ignored).
class Flags {
 public:
  // spec: flags taking a value; bools: flags without one.
  Flags(const Args& args, std::vector<std::string> with_value, std::vector<std::string> bools = {});

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::optional<std::string> get(const std::string& name) const;
  std::string get_or(const std::string& name, std::string fallback) const;
  bool has(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
  std::string error_;
};

}  // namespace ingot::cli

#define INGOT_CLI_CONCAT2(a, b) a##b
#define INGOT_CLI_CONCAT(a, b) INGOT_CLI_CONCAT2(a, b)
// INGOT_COMMAND("image build", "build a role image", [](const ingot::cli::Args& a) { ... });
#define INGOT_COMMAND(name, summary, fn)                                                    \
  static const bool INGOT_CLI_CONCAT(ingot_command_registered_, __LINE__) =               \
      ::ingot::cli::register_command(::ingot::cli::Command{name, summary, fn})
