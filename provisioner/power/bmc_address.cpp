#include "provisioner/power/bmc_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "common/text.h"
#include "provisioner/power/power_error.h"

namespace ingot::power {
namespace {

constexpr std::string_view kScheme = "ipmi://";
constexpr std::string_view kForm = "ipmi://USER[:PASS]@HOST[:PORT]";

Unexpected bad(const std::string& what) {
  return fail(PowerErrc::bad_address, "BMC address: " + what + " (expected " + std::string(kForm) + ")");
}

// RFC 3986 §2.1 percent-decoding. `field` names the part in errors; the text itself is never
// quoted because it may be the password.
Result<std::string> percent_decode(std::string_view in, const char* field) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    int hi = i + 1 < in.size() ? hex_digit_value(in[i + 1]) : -1;
    int lo = i + 2 < in.size() ? hex_digit_value(in[i + 2]) : -1;
    if (hi < 0 || lo < 0)
      return bad(std::string("bad percent-escape in the ") + field + "; write a literal '%' as %25");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

Result<std::uint16_t> parse_port(std::string_view s) {
  if (s.empty()) return bad("empty port after ':'");
  if (s.size() > 5 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return bad("port '" + std::string(s.substr(0, 8)) + "' is not a number");
  unsigned long n = std::stoul(std::string(s));
  if (n == 0 || n > 65535) return bad("port " + std::string(s) + " is out of range (1-65535)");
  return static_cast<std::uint16_t>(n);
}

// HOST[:PORT] where HOST is a name, IPv4, or [IPv6].
Result<void> parse_host_port(std::string_view hp, BmcAddress& a) {
  if (hp.empty()) return bad("missing host after '@'");
  std::string_view port_text;
  bool has_port = false;
  if (hp.front() == '[') {
    auto close = hp.find(']');
    if (close == std::string_view::npos) return bad("'[' without ']' around the IPv6 host");
    a.host = std::string(hp.substr(1, close - 1));
    in6_addr v6{};
    if (inet_pton(AF_INET6, a.host.c_str(), &v6) != 1)
      return bad("'" + a.host + "' in brackets is not an IPv6 address");
    auto rest = hp.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("unexpected text after ']'");
      port_text = rest.substr(1);
      has_port = true;
    }
  } else {
    auto colon = hp.find(':');
    if (colon != std::string_view::npos && hp.find(':', colon + 1) != std::string_view::npos)
      return bad("an IPv6 host must be in brackets, e.g. ipmi://admin@[fd00::5]:623");
    a.host = std::string(hp.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = hp.substr(colon + 1);
      has_port = true;
    }
    if (a.host.empty()) return bad("missing host after '@'");
    if (a.host.size() > kMaxBmcHostLength) return bad("host name longer than 253 characters");
    if (!std::all_of(a.host.begin(), a.host.end(), is_host_char))
      return bad("host '" + a.host + "' has characters not allowed in a host name");
  }
  if (has_port) {
    auto p = parse_port(port_text);
    if (!p) return fail(p.error());
    a.port = *p;
  }
  return ok();
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

}  // namespace

std::string BmcAddress::endpoint() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

std::string BmcAddress::redacted() const {
  return std::string(kScheme) + user + (has_password ? ":***" : "") + "@" + endpoint();
}

Result<BmcAddress> parse_bmc_address(std::string_view url) {
  if (url.size() > kMaxBmcAddressLength) return bad("longer than 512 characters");
  if (!starts_with_nocase(url, kScheme)) {
    if (url.find("://") != std::string_view::npos) return bad("only the ipmi:// scheme is supported");
    return bad("must start with ipmi://");
  }
  std::string_view rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  // The host never contains '@', so the last one ends the credentials: a password may then
  // hold '@', ':' or '/' even unescaped.
  auto at = rest.rfind('@');
  if (at == std::string_view::npos) return bad("missing user: no '@' before the host");
  std::string_view userinfo = rest.substr(0, at), hostport = rest.substr(at + 1);
  if (hostport.find_first_of("/?#") != std::string_view::npos)
    return bad("unexpected path, query or fragment after the host");

  BmcAddress a;
  auto colon = userinfo.find(':');
  auto user = percent_decode(userinfo.substr(0, colon), "user");
  if (!user) return fail(user.error());
  a.user = std::move(*user);
  if (a.user.empty()) return bad("missing user before '@'");
  if (a.user.size() > kMaxBmcUserLength) return bad("user name longer than 16 bytes (the IPMI 2.0 limit)");
  if (colon != std::string_view::npos) {
    auto pass = percent_decode(userinfo.substr(colon + 1), "password");
    if (!pass) return fail(pass.error());
    a.password = std::move(*pass);
    a.has_password = true;
    if (a.password.size() > kMaxBmcPasswordLength)
      return bad("password longer than 20 bytes (the IPMI 2.0 limit)");
  }
  if (auto r = parse_host_port(hostport, a); !r) return fail(r.error());
  return a;
}

Result<void> apply_default_password(BmcAddress& bmc, const std::optional<std::string>& password) {
  if (bmc.has_password) return ok();
  if (!password) return bad("no password in the URL and none in INGOT_BMC_PASSWORD");
  if (password->size() > kMaxBmcPasswordLength)
    return fail(PowerErrc::bad_address, "INGOT_BMC_PASSWORD is longer than 20 bytes (the IPMI 2.0 limit)");
  bmc.password = *password;
  bmc.has_password = true;
  return ok();
}

}  // namespace ingot::power
