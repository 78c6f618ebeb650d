// The agent's kernel command line: the server hands the deploy ramdisk its URL and per-node
// token there (ingot.server=URL ingot.token=HEX ingot.mode=inspect|deploy ingot.debug=1).
// Parsing follows the kernel's own rules: whitespace separates, double quotes group.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ingot::agent {

// /proc/cmdline is at most COMMAND_LINE_SIZE (4096 on x86) plus bootloader additions; anything
// far beyond that is not a command line.
inline constexpr std::size_t kMaxCmdline = 64 * 1024;
inline constexpr std::size_t kMaxTokenLength = 128;
inline constexpr std::size_t kMaxUrlLength = 2048;

// Every key=value (a bare word maps to ""), later duplicates win as in the kernel.
Result<std::map<std::string, std::string>> parse_cmdline(std::string_view text);

struct AgentBoot {
  std::string server;  // http://host:port — no trailing slash
  std::string token;
  std::string mode = "deploy";  // inspect | deploy
  bool debug = false;          // leave a shell on failure
};

// The ingot.* parameters, validated: the URL must be http(s)://, the token hex.
Result<AgentBoot> agent_boot_from_cmdline(std::string_view text);

}  // namespace ingot::agent
