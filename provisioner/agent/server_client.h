// The agent's line to the server: JSON over HTTP with the node's bearer token (libcurl).
// Connection failures and 5xx are retried with backoff until a deadline — a server restart or
// a flapping switch port must not fail a deploy — while 4xx answers are final.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace ingot::agent {

// Responses the agent reads whole (plans, config bundles); images stream through the sync engine.
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
  ~ServerClient();
  ServerClient(const ServerClient&) = delete;
  ServerClient& operator=(const ServerClient&) = delete;

  Result<nlohmann::json> get_json(const std::string& path);
  Result<nlohmann::json> post_json(const std::string& path, const nlohmann::json& body);
  const std::string& base_url() const { return base_; }

 private:
  Result<nlohmann::json> request(const std::string& method, const std::string& path, const std::string& body);

  std::string base_;
  std::string token_;
  RetryPolicy retry_;
  void* curl_ = nullptr;  // CURL*, kept out of this header
};

}  // namespace ingot::agent
