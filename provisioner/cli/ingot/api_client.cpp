#include "provisioner/cli/ingot/api_client.h"

#include <cstdlib>
#include <ctime>
#include <iomanip>
#include <iostream>

namespace ingot::cli {
using nlohmann::json;

std::optional<Conn> connect(const Flags& f, const char* cmd) {
  if (!f.ok()) {
    std::cerr << "ingot " << cmd << ": " << f.error() << "\n";
    return std::nullopt;
  }
  const char* env_url = std::getenv("INGOT_URL");
  const char* env_token = std::getenv("INGOT_TOKEN");
  std::string url = f.get_or("url", env_url ? env_url : "http://127.0.0.1:8080");
  std::string token = f.get_or("token", env_token ? env_token : "");
  if (token.empty()) {
    std::cerr << "ingot " << cmd << ": no token: set INGOT_TOKEN (see <state-dir>/admin.token) or pass --token\n";
    return std::nullopt;
  }
  RetryPolicy quick;
  quick.give_up_after = std::chrono::seconds(3);
  quick.request_timeout = std::chrono::seconds(120);
  return Conn{std::make_unique<ServerClient>(url, token, quick), f.has("json")};
}

std::vector<std::string> with_conn(std::vector<std::string> v) {
  v.push_back("url");
  v.push_back("token");
  return v;
}

std::string cell(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return "-";
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

void print_table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> w(head.size());
  for (std::size_t i = 0; i < head.size(); ++i) w[i] = head[i].size();
  for (auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], r[i].size());
  auto line = [&](const std::vector<std::string>& r) {
    for (std::size_t i = 0; i < r.size(); ++i) std::cout << std::left << std::setw(static_cast<int>(w[i] + 2)) << r[i];
    std::cout << "\n";
  };
  line(head);
  for (auto& r : rows) line(r);
}

int report(const Result<json>& r, const char* cmd) {
  if (!r) {
    std::cerr << "ingot " << cmd << ": " << r.error().message() << "\n";
    return 1;
  }
  return 0;
}

std::string time_of(std::int64_t ms) {
  std::time_t t = ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return std::string(buf) + "." + std::to_string(ms % 1000 / 100);
}

}  // namespace ingot::cli
