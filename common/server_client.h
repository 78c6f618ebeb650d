// A client of the ingot server's REST API: JSON over HTTP (common/http_client.h) with a bearer
// token, used by the node agent (its node token) and the `ingot` CLI (the admin token).
// Connection failures and 5xx are retried with backoff until a deadline — a server restart or
// a flapping switch port must not fail a deploy — while 4xx answers are final.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "common/http_client.h"
#include "common/result.h"

namespace ingot {

// Responses read whole (plans, config bundles); images stream through the sync engine.
inline constexpr std::size_t kMaxResponseBytes = 64 * 1024 * 1024;

struct RetryPolicy {
  std::chrono::seconds give_up_after{300};
  std::chrono::milliseconds first_backoff{250};
  std::chrono::milliseconds max_backoff{5000};
  std::chrono::seconds request_timeout{60};
};

class ServerClient {
 public:
  ServerClient(std::string base_url, std::string token, RetryPolicy retry = {});

  // 4xx: errc::permission_denied with the server's "error" text; out of retries: errc::timed_out.
  Result<nlohmann::json> get_json(const std::string& path);
  Result<nlohmann::json> post_json(const std::string& path, const nlohmann::json& body);
  const std::string& base_url() const { return base_; }

 private:
  Result<nlohmann::json> request(HttpMethod method, const std::string& path, const std::string& body);

  std::string base_;
  std::string token_;
  RetryPolicy retry_;
  HttpClient http_;  // one connection, kept alive across requests
};

}  // namespace ingot
