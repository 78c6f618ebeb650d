// Fuzz target: the facts JSON reader an agent's post goes through, plus the round trip of
// whatever it accepts (write, read back, same facts) and the node identity derived from it.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hwmatch/facts.h"
#include "hwmatch/matcher.h"
#include "hwmatch/selector.h"

using namespace ingot::hwmatch;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto facts = facts_from_json(text);
  if (!facts) return 0;
  auto again = facts_from_json(facts_to_json(*facts));
  if (!again || *again != *facts) std::abort();  // what we accept, we must write back identically
  (void)node_identity(*facts);
  FactIndex idx(*facts);
  (void)idx.candidates(bucket_hash("disk", "size"));
  return 0;
}
