#include "pxe/dhcp_client_info.h"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace ingot::pxe {
namespace {

constexpr std::string_view kPxeClient = "PXEClient";
constexpr std::string_view kHttpClient = "HTTPClient";
constexpr std::string_view kIpxeUserClass = "iPXE";
constexpr std::uint8_t kGuidTypeMachineId = 0;  // RFC 4578 §2.3: the only defined type
constexpr std::size_t kGuidSize = 16;

// "PXEClient:Arch:00007:UNDI:003016": the arch field is decimal (PXE spec 2.1 §2.4).
std::optional<std::uint16_t> arch_from_vendor_class(std::string_view vc) {
  constexpr std::string_view kArch = ":Arch:";
  auto at = vc.find(kArch);
  if (at == std::string_view::npos) return std::nullopt;
  auto digits = vc.substr(at + kArch.size(), 5);
  unsigned v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc{} || end != digits.data() + digits.size() || v > 0xffff) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

}  // namespace

std::vector<std::string> parse_user_classes(const std::vector<std::uint8_t>& value) {
  std::vector<std::string> classes;
  std::size_t pos = 0;
  bool rfc3004 = !value.empty();
  while (rfc3004 && pos < value.size()) {
    std::size_t len = value[pos];
    if (len == 0 || pos + 1 + len > value.size()) {
      rfc3004 = false;
      break;
    }
    classes.emplace_back(value.begin() + static_cast<std::ptrdiff_t>(pos + 1),
                         value.begin() + static_cast<std::ptrdiff_t>(pos + 1 + len));
    pos += 1 + len;
  }
  if (rfc3004) return classes;
  std::string bare(value.begin(), value.end());
  while (!bare.empty() && bare.back() == '\0') bare.pop_back();
  if (bare.empty()) return {};
  return {bare};
}

std::optional<std::string> guid_to_uuid(const std::vector<std::uint8_t>& v) {
  if (v.size() != 1 + kGuidSize || v[0] != kGuidTypeMachineId) return std::nullopt;
  const std::uint8_t* g = v.data() + 1;
  // Unset SMBIOS UUIDs (QEMU without -uuid, cheap boards) are all zeros or all ones: no identity.
  if (std::all_of(g, g + kGuidSize, [](std::uint8_t b) { return b == 0; }) ||
      std::all_of(g, g + kGuidSize, [](std::uint8_t b) { return b == 0xff; }))
    return std::nullopt;
  // Wire order → text order: fields 1-3 byte-swapped, the last 8 bytes as they are.
  static constexpr int kOrder[kGuidSize] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < kGuidSize; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    std::uint8_t b = g[kOrder[i]];
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

DhcpClientInfo client_info(const DhcpPacket& request) {
  DhcpClientInfo info;
  info.mac = request.mac();
  if (auto vc = request.options.text(opt::vendor_class)) {
    info.pxe = vc->starts_with(kPxeClient);
    info.http_client = vc->starts_with(kHttpClient);
    if (auto a = arch_from_vendor_class(*vc)) info.arch = *a;
  }
  // Option 93 may list several architectures (RFC 4578 §2.1); the first is the one booting.
  if (auto* a = request.options.find(opt::client_arch); a && a->size() >= 2 && a->size() % 2 == 0)
    info.arch = static_cast<std::uint16_t>((*a)[0] << 8 | (*a)[1]);
  if (auto* uc = request.options.find(opt::user_class)) {
    info.user_classes = parse_user_classes(*uc);
    for (const auto& c : info.user_classes)
      if (c == kIpxeUserClass) info.ipxe = true;
  }
  if (auto* g = request.options.find(opt::client_uuid)) {
    info.guid = *g;
    info.uuid = guid_to_uuid(*g);
  }
  return info;
}

Machine DhcpClientInfo::machine() const {
  Machine m;
  m.mac = mac;
  m.uuid = uuid;
  m.arch = static_cast<ClientArch>(arch);
  m.ipxe = ipxe;
  return m;
}

}  // namespace ingot::pxe
