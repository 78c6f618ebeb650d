// A boot policy from a JSON file, so ingot can boot machines before the provisioner exists:
//   { "default":  { "action": "boot", "kernel": "vmlinuz", "initrd": ["initrd.img"], "cmdline": "..." },
//     "machines": { "52:54:00:12:34:56": { "action": "local" }, ... } }
// action is boot | local | ignore (default: boot when a kernel is given, else ignore).
// Without "default", unknown machines are ignored (stay silent).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string_view>

#include "common/result.h"
#include "pxe/boot_policy.h"

namespace ingot::pxe {

class StaticPolicy final : public BootPolicy {
 public:
  static Result<StaticPolicy> load(const std::filesystem::path& file);
  static Result<StaticPolicy> parse(std::string_view json_text, std::string_view source_name);
  StaticPolicy() = default;  // every machine stays silent

  BootDecision decide(const Machine& machine) override;

 private:
  std::optional<BootDecision> default_;
  std::map<MacAddress, BootDecision> machines_;
};

}  // namespace ingot::pxe
