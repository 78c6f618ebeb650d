#include "pxe/ipxe_script.h"

#include <cctype>

namespace ingot::pxe {
namespace {

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// 8-4-4-4-12 hex digits, as iPXE's ${uuid} prints it.
std::optional<std::string> parse_uuid(std::string_view s) {
  if (s.size() != 36) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash_pos = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_pos ? s[i] != '-' : !is_hex(s[i])) return std::nullopt;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))));
  }
  return out;
}

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

// The name iPXE gives a downloaded image: the last segment of the URL's path.
std::string_view image_name(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  auto slash = url.rfind('/');
  return slash == std::string_view::npos ? url : url.substr(slash + 1);
}

bool url_safe(unsigned char c) {
  return std::isalnum(c) || std::string_view("-._~/!$&'()*+,;=:@?%").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

Result<Machine> machine_from_identity(const IpxeIdentity& id) {
  Machine m;
  m.ipxe = true;
  auto mac = MacAddress::parse(id.mac);
  if (!mac) return fail("mac: '" + std::string(id.mac.substr(0, 64)) + "' is not a MAC address (52-54-00-12-34-56)");
  m.mac = *mac;
  if (!id.uuid.empty()) {
    auto uuid = parse_uuid(id.uuid);
    if (!uuid) return fail("uuid: '" + std::string(id.uuid.substr(0, 64)) + "' is not a UUID");
    m.uuid = std::move(*uuid);
  }
  if (id.platform.empty() || id.platform == "pcbios") {
    m.arch = ClientArch::bios;
  } else if (id.platform == "efi") {
    if (id.buildarch.empty() || id.buildarch == "x86_64") m.arch = ClientArch::efi_x64;
    else if (id.buildarch == "i386") m.arch = ClientArch::efi_ia32;
    else if (id.buildarch == "arm64") m.arch = ClientArch::efi_arm64;
    else if (id.buildarch == "arm32") m.arch = static_cast<ClientArch>(10);  // RFC 4578 ARM 32-bit UEFI
    else return fail("buildarch: '" + std::string(id.buildarch.substr(0, 64)) + "' is not i386, x86_64, arm32 or arm64");
  } else {
    return fail("platform: '" + std::string(id.platform.substr(0, 64)) + "' is not pcbios or efi");
  }
  return m;
}

std::string chain_script(std::string_view base_url) {
  std::string s = "#!ipxe\nchain ";
  s += base_url;
  s += "/boot.ipxe?";
  s += kIdentityQuery;
  s += '\n';
  return s;
}

std::string resolve_url(std::string_view base_url, std::string_view path) {
  if (path.find("://") != std::string_view::npos) return std::string(path);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string url(base_url);
  url += '/';
  static constexpr char hex[] = "0123456789ABCDEF";
  for (unsigned char c : path) {
    if (url_safe(c)) {
      url.push_back(static_cast<char>(c));
    } else {
      url.push_back('%');
      url.push_back(hex[c >> 4]);
      url.push_back(hex[c & 0xf]);
    }
  }
  return url;
}

Result<std::string> boot_script(const BootDecision& d, ClientArch arch, std::string_view base_url) {
  using Action = BootDecision::Action;
  if (d.action == Action::silent) return fail("a silent decision has no script");
  if (d.action == Action::local_disk)
    return std::string(is_uefi(arch) ? "#!ipxe\nexit\n" : "#!ipxe\nsanboot --no-describe --drive 0x80\n");

  if (d.kernel.empty()) return fail("policy: boot decision without a kernel");
  if (has_control(d.kernel) || has_control(d.cmdline)) return fail("policy: kernel or cmdline has a control character");
  std::string kernel_line = "kernel " + resolve_url(base_url, d.kernel);
  std::string initrd_lines;
  for (const auto& i : d.initrds) {
    if (has_control(i)) return fail("policy: initrd '" + i + "' has a control character");
    std::string url = resolve_url(base_url, i);
    if (url.size() > kMaxScriptLine) return fail("policy: initrd URL longer than kMaxScriptLine");
    if (is_uefi(arch)) kernel_line += " initrd=" + std::string(image_name(url));
    initrd_lines += "initrd " + url + "\n";
  }
  if (!d.cmdline.empty()) kernel_line += " " + d.cmdline;
  if (kernel_line.size() > kMaxScriptLine) return fail("policy: kernel line longer than kMaxScriptLine");
  return "#!ipxe\n" + kernel_line + "\n" + initrd_lines + "boot\n";
}

}  // namespace ingot::pxe
