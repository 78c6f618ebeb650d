// What the operator subcommands (`ingot node`, `ingot rollout`, ...) share: the connection to
// the REST API from INGOT_URL / INGOT_TOKEN (or --url / --token), table output and errors.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/cli.h"
#include "common/server_client.h"

namespace ingot::cli {

struct Conn {
  std::unique_ptr<ServerClient> client;
  bool json_out = false;
};

// nullopt after printing why (bad flags, no token).
std::optional<Conn> connect(const Flags& f, const char* cmd);
// The connection flags every API subcommand accepts, appended to its own.
std::vector<std::string> with_conn(std::vector<std::string> v);
// A JSON field as a table cell: "-" when absent or null.
std::string cell(const nlohmann::json& j, const char* key);
void print_table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows);
// 0, or 1 after printing the error.
int report(const Result<nlohmann::json>& r, const char* cmd);
// HH:MM:SS.d (UTC) of an event's ts_ms.
std::string time_of(std::int64_t ms);

}  // namespace ingot::cli
