#include "pxe/tftp_options.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

namespace ingot::pxe::tftp {
namespace {

std::optional<std::uint64_t> parse_number(std::string_view s) {
  if (s.empty() || s.size() > kMaxNumberDigits) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

Negotiated negotiate(const std::vector<Option>& requested, std::uint64_t file_size) {
  Negotiated n;
  for (const auto& o : requested) {
    auto v = parse_number(o.value);
    if (iequals(o.name, "blksize")) {
      if (!v || *v < kMinBlksize) continue;
      n.use.blksize = static_cast<std::size_t>(std::min<std::uint64_t>(*v, kMaxBlksize));
      n.oack.push_back({o.name, std::to_string(n.use.blksize)});
    } else if (iequals(o.name, "windowsize")) {
      if (!v || *v < 1) continue;
      n.use.windowsize = static_cast<unsigned>(std::min<std::uint64_t>(*v, kMaxWindowsize));
      n.oack.push_back({o.name, std::to_string(n.use.windowsize)});
    } else if (iequals(o.name, "timeout")) {
      // RFC 2349 gives no way to counter-offer a timeout: out of range means ignored.
      if (!v || *v < kMinTimeoutSeconds || *v > kMaxTimeoutSeconds) continue;
      n.use.timeout_seconds = static_cast<unsigned>(*v);
      n.oack.push_back({o.name, std::to_string(*v)});
    } else if (iequals(o.name, "tsize")) {
      // In a read request the client sends 0 and the server answers the size (RFC 2349).
      if (!v) continue;
      n.oack.push_back({o.name, std::to_string(file_size)});
    }
  }
  return n;
}

}  // namespace ingot::pxe::tftp
