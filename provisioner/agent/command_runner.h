// Runs the system programs a deploy needs (sfdisk, mkfs, mount, grub-install) with an argv —
// never through a shell, so no value from the server is ever interpreted — capturing their
// output for the deploy log. An interface, so unit tests record commands instead of running.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"

namespace ingot::agent {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr interleaved, capped at kMaxCommandOutput
};

// Enough for the chattiest tool (grub-install -v); the tail is what explains a failure.
inline constexpr std::size_t kMaxCommandOutput = 256 * 1024;

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  virtual Result<CommandResult> run(const std::vector<std::string>& argv, const std::string& stdin_data = {},
                                    std::chrono::seconds timeout = std::chrono::seconds(600)) = 0;

  // run() that fails unless the program exits 0; the error carries the command and its output tail.
  Result<std::string> check(const std::vector<std::string>& argv, const std::string& stdin_data = {},
                            std::chrono::seconds timeout = std::chrono::seconds(600));
};

class SystemRunner final : public CommandRunner {
 public:
  Result<CommandResult> run(const std::vector<std::string>& argv, const std::string& stdin_data,
                            std::chrono::seconds timeout) override;
};

}  // namespace ingot::agent
