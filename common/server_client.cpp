#include "common/server_client.h"

#include <thread>

#include "common/log.h"

namespace ingot {
namespace {

// The server's explanation of a 4xx: its JSON "error" field, else the body as sent.
std::string reason_of(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("error")) return body;
  return j["error"].is_string() ? j["error"].get<std::string>() : j["error"].dump();
}

}  // namespace

ServerClient::ServerClient(std::string base_url, std::string token, RetryPolicy retry)
    : base_(std::move(base_url)), token_(std::move(token)), retry_(retry) {}

Result<nlohmann::json> ServerClient::get_json(const std::string& path) { return request(HttpMethod::get, path, {}); }

Result<nlohmann::json> ServerClient::post_json(const std::string& path, const nlohmann::json& body) {
  return request(HttpMethod::post, path, body.dump());
}

Result<nlohmann::json> ServerClient::request(HttpMethod method, const std::string& path, const std::string& body) {
  const std::string name = method == HttpMethod::post ? "POST" : "GET";
  HttpRequest req;
  req.method = method;
  req.url = base_ + path;
  req.bearer_token = token_;
  req.headers = {"Accept: application/json"};
  if (method == HttpMethod::post) req.body = body, req.content_type = "application/json";
  req.timeout = retry_.request_timeout;
  req.max_body = kMaxResponseBytes;
  auto deadline = std::chrono::steady_clock::now() + retry_.give_up_after;
  auto backoff = retry_.first_backoff;
  for (int attempt = 1;; ++attempt) {
    auto r = http_.perform(req);
    if (!r && r.error().code == HttpClientError::body_too_large)
      return fail(name + " " + path + ": response larger than " + std::to_string(kMaxResponseBytes));
    if (r && r->success()) {
      if (r->body.empty()) return nlohmann::json::object();
      auto j = nlohmann::json::parse(r->body, nullptr, false);
      if (j.is_discarded()) return fail(name + " " + path + ": the server's answer is not JSON");
      return j;
    }
    if (r && r->status >= 400 && r->status < 500)
      return fail(std::make_error_code(std::errc::permission_denied),
                  name + " " + path + ": HTTP " + std::to_string(r->status) + ": " + reason_of(r->body));
    // No answer, or a 5xx (a server restarting behind a proxy): worth another try.
    std::string last_error = r ? "HTTP " + std::to_string(r->status) : r.error().message();
    if (std::chrono::steady_clock::now() + backoff > deadline)
      return fail(std::make_error_code(std::errc::timed_out),
                  name + " " + path + ": gave up after " + std::to_string(attempt) + " attempts: " + last_error);
    INGOT_LOG(warn, "api") << name << " " << path << " failed (" << last_error << "), retrying in " << backoff.count()
                             << " ms";
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, retry_.max_backoff);
  }
}

}  // namespace ingot
