#include "pxe/dhcp_options.h"

#include <algorithm>

#include "common/byte_reader.h"
#include "pxe/dhcp_error.h"

namespace ingot::pxe {

const std::vector<std::uint8_t>* DhcpOptions::find(std::uint8_t code) const {
  for (const auto& [c, v] : entries_)
    if (c == code) return &v;
  return nullptr;
}

std::optional<std::uint8_t> DhcpOptions::u8(std::uint8_t code) const {
  auto* v = find(code);
  if (!v || v->size() != 1) return std::nullopt;
  return (*v)[0];
}

std::optional<std::uint16_t> DhcpOptions::u16(std::uint8_t code) const {
  auto* v = find(code);
  if (!v || v->size() != 2) return std::nullopt;
  return static_cast<std::uint16_t>((*v)[0] << 8 | (*v)[1]);
}

std::optional<std::uint32_t> DhcpOptions::u32(std::uint8_t code) const {
  auto* v = find(code);
  if (!v || v->size() != 4) return std::nullopt;
  ByteReader r(*v);
  return r.u32be();
}

std::optional<std::string> DhcpOptions::text(std::uint8_t code) const {
  auto* v = find(code);
  if (!v) return std::nullopt;
  std::string s(v->begin(), v->end());
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

void DhcpOptions::set(std::uint8_t code, std::span<const std::uint8_t> value) {
  for (auto& [c, v] : entries_) {
    if (c == code) {
      v.assign(value.begin(), value.end());
      return;
    }
  }
  entries_.emplace_back(code, std::vector<std::uint8_t>(value.begin(), value.end()));
}

void DhcpOptions::set(std::uint8_t code, std::string_view value) {
  set(code, std::span(reinterpret_cast<const std::uint8_t*>(value.data()), value.size()));
}

void DhcpOptions::set_u8(std::uint8_t code, std::uint8_t v) { set(code, std::span(&v, 1)); }

void DhcpOptions::set_u16(std::uint8_t code, std::uint16_t v) {
  ByteWriter w;
  w.u16be(v);
  set(code, w.buffer());
}

void DhcpOptions::set_u32(std::uint8_t code, std::uint32_t v) {
  ByteWriter w;
  w.u32be(v);
  set(code, w.buffer());
}

void DhcpOptions::set_ips(std::uint8_t code, const std::vector<Ipv4>& ips) {
  ByteWriter w;
  for (Ipv4 a : ips) w.u32be(a);
  set(code, w.buffer());
}

void DhcpOptions::append(std::uint8_t code, std::span<const std::uint8_t> value) {
  for (auto& [c, v] : entries_) {
    if (c == code) {
      v.insert(v.end(), value.begin(), value.end());
      return;
    }
  }
  set(code, value);
}

void DhcpOptions::erase(std::uint8_t code) {
  std::erase_if(entries_, [code](const Entry& e) { return e.first == code; });
}

Result<void> decode_option_area(std::span<const std::uint8_t> area, DhcpOptions& out, std::size_t& instances,
                                bool& saw_end) {
  ByteReader r(area);
  while (!r.at_end()) {
    std::uint8_t code = r.u8();
    if (code == opt::pad) continue;
    if (code == opt::end) {
      saw_end = true;
      return ok();  // what follows the end option is padding by definition
    }
    std::uint8_t len = r.u8();
    auto value = r.bytes(len);
    if (!r.ok())
      return fail(DhcpError::option_truncated, "option " + std::to_string(code) + " truncated");
    if (++instances > kMaxOptionInstances) return fail(DhcpError::too_many_options);
    auto* existing = out.find(code);
    if ((existing ? existing->size() : 0) + len > kMaxOptionValue)
      return fail(DhcpError::option_too_long, "option " + std::to_string(code) + " longer than " +
                                                  std::to_string(kMaxOptionValue) + " bytes");
    out.append(code, value);
  }
  return ok();
}

std::vector<std::vector<std::uint8_t>> encode_option_instances(const DhcpOptions& options) {
  std::vector<std::vector<std::uint8_t>> out;
  for (const auto& [code, value] : options.entries()) {
    if (code == opt::pad || code == opt::end) continue;
    std::size_t pos = 0;
    // An empty value still needs its one instance (e.g. 80 rapid commit).
    do {
      std::size_t n = std::min(kMaxInstanceValue, value.size() - pos);
      std::vector<std::uint8_t> inst{code, static_cast<std::uint8_t>(n)};
      inst.insert(inst.end(), value.begin() + static_cast<std::ptrdiff_t>(pos),
                  value.begin() + static_cast<std::ptrdiff_t>(pos + n));
      out.push_back(std::move(inst));
      pos += n;
    } while (pos < value.size());
  }
  return out;
}

Result<DhcpOptions> decode_sub_options(std::span<const std::uint8_t> value) {
  DhcpOptions out;
  std::size_t instances = 0;
  bool saw_end = false;
  auto r = decode_option_area(value, out, instances, saw_end);
  if (!r) return fail(r.error());
  return out;
}

std::vector<std::uint8_t> encode_sub_options(const DhcpOptions& options) {
  std::vector<std::uint8_t> out;
  for (auto& inst : encode_option_instances(options)) out.insert(out.end(), inst.begin(), inst.end());
  if (!out.empty()) out.push_back(opt::end);
  return out;
}

}  // namespace ingot::pxe
