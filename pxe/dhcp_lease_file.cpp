#include "pxe/dhcp_lease_file.h"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace ingot::pxe {
namespace {

constexpr int kFormatVersion = 1;

Result<void> write_all(int fd, const std::string& data, const std::string& name) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::error_code(errno, std::generic_category()), name + ": write failed");
    done += static_cast<std::size_t>(n);
  }
  return ok();
}

}  // namespace

Result<std::vector<Lease>> load_leases(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::vector<Lease>{};
  auto size = std::filesystem::file_size(file, ec);
  if (ec) return fail(ec, file.string() + ": cannot stat lease file");
  if (size > kMaxLeaseFileBytes) return fail(file.string() + ": lease file larger than 16 MiB, not a lease file");
  std::ifstream in(file);
  if (!in) return fail(file.string() + ": cannot open lease file");
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = nlohmann::json::parse(ss.str(), nullptr, false);
  const std::string fix = " (move it aside to start with no leases)";
  if (j.is_discarded() || !j.is_object()) return fail(file.string() + ": lease file is not a JSON object" + fix);
  if (j.value("version", 0) != kFormatVersion)
    return fail(file.string() + ": unknown lease file version" + fix);
  if (!j.contains("leases") || !j["leases"].is_array()) return fail(file.string() + ": no leases array" + fix);
  std::vector<Lease> out;
  std::size_t index = 0;
  for (const auto& e : j["leases"]) {
    std::string where = file.string() + ": leases[" + std::to_string(index++) + "]";
    if (!e.is_object() || !e.contains("mac") || !e["mac"].is_string() || !e.contains("ip") || !e["ip"].is_string() ||
        !e.contains("expires") || !e["expires"].is_number_integer())
      return fail(where + ": needs string mac, string ip and integer expires" + fix);
    auto mac = MacAddress::parse(e["mac"].get<std::string>());
    auto ip = parse_ipv4(e["ip"].get<std::string>());
    if (!mac || !ip) return fail(where + ": bad mac or ip" + fix);
    out.push_back(Lease{*mac, *ip, e["expires"].get<std::int64_t>(), true});
  }
  return out;
}

Result<void> save_leases(const std::filesystem::path& file, const std::vector<Lease>& leases) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& l : leases)
    list.push_back({{"mac", l.mac.to_string()}, {"ip", ipv4_to_string(l.ip)}, {"expires", l.expires}});
  std::string text = nlohmann::json{{"version", kFormatVersion}, {"leases", list}}.dump(1) + "\n";

  std::filesystem::path tmp = file;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail(std::error_code(errno, std::generic_category()), tmp.string() + ": cannot create");
  auto written = write_all(fd, text, tmp.string());
  bool synced = written && ::fsync(fd) == 0;
  int sync_errno = errno;
  ::close(fd);
  if (!written) return written;
  if (!synced) return fail(std::error_code(sync_errno, std::generic_category()), tmp.string() + ": fsync failed");
  if (::rename(tmp.c_str(), file.c_str()) != 0)
    return fail(std::error_code(errno, std::generic_category()), file.string() + ": rename failed");
  return ok();
}

}  // namespace ingot::pxe
