#include "hwmatch/spec.h"

namespace ingot::hwmatch {

std::optional<int> Spec::intern(std::string_view name, bool exp) {
  for (std::size_t i = 0; i < vars.size(); ++i) {
    if (vars[i] == name) {
      if (exp) exported[i] = true;
      return static_cast<int>(i);
    }
  }
  if (vars.size() >= kMaxSpecVariables) return std::nullopt;
  vars.emplace_back(name);
  exported.push_back(exp);
  return static_cast<int>(vars.size() - 1);
}

std::uint64_t bucket_hash(std::string_view cls, std::string_view key) {
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](unsigned char c) { h = (h ^ c) * 1099511628211ull; };
  for (char c : cls) mix(static_cast<unsigned char>(c));
  mix(0x1f);
  for (char c : key) mix(static_cast<unsigned char>(c));
  return h == 0 ? 1 : h;  // 0 means "not indexed"
}

void assign_bucket(SpecLine& line) {
  const SpecField& c = line.fields[0];
  const SpecField& k = line.fields[2];
  line.bucket_hash = c.is_literal && k.is_literal ? bucket_hash(c.literal, k.literal) : 0;
}

std::string spec_location(std::string_view file, int line, int column) {
  return std::string(file) + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace ingot::hwmatch
