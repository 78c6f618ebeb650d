// How deep a JSON text nests, checked before it is parsed. nlohmann's parser keeps its own
// stack, but dump(), comparison and every walk of ours recurse: a request body nested 300,000
// levels deep ended the server. No document ingot reads (facts, reports, specs, manifests)
// nests more than a handful of levels.
#pragma once

#include <cstddef>
#include <string_view>

namespace ingot {

inline constexpr std::size_t kMaxJsonDepth = 64;

// True when `text` opens more than `limit` arrays/objects inside each other (outside strings).
// Linear, no allocation; malformed text is the parser's business, not this check's.
bool json_deeper_than(std::string_view text, std::size_t limit = kMaxJsonDepth);

}  // namespace ingot
