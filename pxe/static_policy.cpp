#include "pxe/static_policy.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace ingot::pxe {
namespace {
using nlohmann::json;

Result<BootDecision> decision_from(const json& j, const std::string& where) {
  if (!j.is_object()) return fail(where + ": must be an object");
  BootDecision d;
  std::string action = j.value("action", j.contains("kernel") ? "boot" : "ignore");
  if (action == "boot") {
    d.action = BootDecision::Action::boot;
  } else if (action == "local") {
    d.action = BootDecision::Action::local_disk;
  } else if (action == "ignore") {
    d.action = BootDecision::Action::silent;
  } else {
    return fail(where + ".action: '" + action + "' is not one of boot, local, ignore");
  }
  if (d.action == BootDecision::Action::boot) {
    if (!j.contains("kernel") || !j["kernel"].is_string() || j["kernel"].get<std::string>().empty())
      return fail(where + ".kernel: a boot entry needs a kernel (path under the HTTP root or URL)");
    d.kernel = j["kernel"].get<std::string>();
    if (j.contains("initrd")) {
      const json& i = j["initrd"];
      if (i.is_string()) {
        d.initrds.push_back(i.get<std::string>());
      } else if (i.is_array()) {
        for (const json& e : i) {
          if (!e.is_string()) return fail(where + ".initrd: every entry must be a string");
          d.initrds.push_back(e.get<std::string>());
        }
      } else {
        return fail(where + ".initrd: must be a string or a list of strings");
      }
    }
    if (j.contains("cmdline")) {
      if (!j["cmdline"].is_string()) return fail(where + ".cmdline: must be a string");
      d.cmdline = j["cmdline"].get<std::string>();
    }
  }
  return d;
}
}  // namespace

Result<StaticPolicy> StaticPolicy::load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return fail(std::make_error_code(std::errc::no_such_file_or_directory), file.string() + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), file.string());
}

Result<StaticPolicy> StaticPolicy::parse(std::string_view text, std::string_view source_name) {
  std::string src(source_name);
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return fail(src + ": not valid JSON");
  if (!j.is_object()) return fail(src + ": the policy must be a JSON object");
  for (auto& [key, value] : j.items()) {
    if (key != "default" && key != "machines") return fail(src + ": unknown key '" + key + "' (default, machines)");
  }
  StaticPolicy p;
  if (j.contains("default")) {
    auto d = decision_from(j["default"], src + ": default");
    if (!d) return fail(d.error());
    p.default_ = *d;
  }
  if (j.contains("machines")) {
    if (!j["machines"].is_object()) return fail(src + ": machines must be an object keyed by MAC");
    for (auto& [mac_text, entry] : j["machines"].items()) {
      auto mac = MacAddress::parse(mac_text);
      if (!mac) return fail(src + ": machines: '" + mac_text + "' is not a MAC address (aa:bb:cc:dd:ee:ff)");
      auto d = decision_from(entry, src + ": machines." + mac_text);
      if (!d) return fail(d.error());
      p.machines_[*mac] = *d;
    }
  }
  return p;
}

BootDecision StaticPolicy::decide(const Machine& machine) {
  if (auto it = machines_.find(machine.mac); it != machines_.end()) return it->second;
  if (default_) return *default_;
  return BootDecision{};
}

}  // namespace ingot::pxe
