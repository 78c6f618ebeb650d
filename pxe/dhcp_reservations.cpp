#include "pxe/dhcp_reservations.h"

#include <fstream>
#include <set>
#include <sstream>

namespace ingot::pxe {

Result<std::map<MacAddress, Ipv4>> parse_reservations(std::string_view text, std::string_view source) {
  std::map<MacAddress, Ipv4> out;
  std::set<Ipv4> used;
  std::istringstream in{std::string(text)};
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream fields(line);
    std::string mac_text, ip_text, extra;
    if (!(fields >> mac_text)) continue;  // blank or comment
    std::string where = std::string(source) + ":" + std::to_string(number) + ": ";
    if (!(fields >> ip_text) || (fields >> extra)) return fail(where + "expected 'MAC ADDRESS'");
    auto mac = MacAddress::parse(mac_text);
    if (!mac) return fail(where + "'" + mac_text + "' is not a MAC address (aa:bb:cc:dd:ee:ff)");
    auto ip = parse_ipv4(ip_text);
    if (!ip) return fail(where + "'" + ip_text + "' is not an IPv4 address");
    if (out.count(*mac)) return fail(where + mac_text + " is reserved twice");
    if (!used.insert(*ip).second) return fail(where + ip_text + " is reserved for two MACs");
    if (out.size() >= kMaxReservations) return fail(where + "more than 65536 reservations");
    out[*mac] = *ip;
  }
  return out;
}

Result<std::map<MacAddress, Ipv4>> load_reservations(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return fail(file.string() + ": cannot open reservations file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_reservations(ss.str(), file.string());
}

}  // namespace ingot::pxe
