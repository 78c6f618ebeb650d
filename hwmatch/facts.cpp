#include "hwmatch/facts.h"

#include <nlohmann/json.hpp>

namespace ingot::hwmatch {

Result<Facts> facts_from_json(std::string_view text) {
  if (text.size() > kMaxFactsDocument)
    return fail("facts: document of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                std::to_string(kMaxFactsDocument));
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return fail("facts: not valid JSON");
  if (!j.is_array()) return fail("facts: expected a list of [class, name, key, value] tuples");
  if (j.size() > kMaxFacts)
    return fail("facts: " + std::to_string(j.size()) + " tuples exceed the limit of " + std::to_string(kMaxFacts));
  Facts out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    const auto& t = j[i];
    std::string where = "facts[" + std::to_string(i) + "]";
    if (!t.is_array() || t.size() != 4) return fail(where + ": expected [class, name, key, value]");
    std::string fields[4];
    for (std::size_t k = 0; k < 4; ++k) {
      if (!t[k].is_string()) return fail(where + "[" + std::to_string(k) + "]: expected a string");
      fields[k] = t[k].get<std::string>();
      if (fields[k].size() > kMaxFactField)
        return fail(where + "[" + std::to_string(k) + "]: longer than " + std::to_string(kMaxFactField) + " bytes");
    }
    out.push_back(Fact{std::move(fields[0]), std::move(fields[1]), std::move(fields[2]), std::move(fields[3])});
  }
  return out;
}

std::string facts_to_json(const Facts& facts) {
  std::string s = "[\n";
  for (std::size_t i = 0; i < facts.size(); ++i) {
    const Fact& f = facts[i];
    s += "  " + nlohmann::json::array({f.cls, f.name, f.key, f.value}).dump();
    s += i + 1 < facts.size() ? ",\n" : "\n";
  }
  s += "]\n";
  return s;
}

}  // namespace ingot::hwmatch
