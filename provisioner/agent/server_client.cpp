#include "provisioner/agent/server_client.h"

#include <thread>

#include <curl/curl.h>

#include "common/log.h"

namespace ingot::agent {
namespace {

struct Sink {
  std::string data;
  bool overflow = false;
};

size_t on_data(char* ptr, size_t size, size_t n, void* userdata) {
  auto* sink = static_cast<Sink*>(userdata);
  if (sink->data.size() + size * n > kMaxResponseBytes) {
    sink->overflow = true;
    return 0;  // aborts the transfer
  }
  sink->data.append(ptr, size * n);
  return size * n;
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

ServerClient::ServerClient(std::string base_url, std::string token, RetryPolicy retry)
    : base_(std::move(base_url)), token_(std::move(token)), retry_(retry) {
  static CurlGlobal global;
  curl_ = curl_easy_init();
}

ServerClient::~ServerClient() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Result<nlohmann::json> ServerClient::get_json(const std::string& path) { return request("GET", path, {}); }

Result<nlohmann::json> ServerClient::post_json(const std::string& path, const nlohmann::json& body) {
  return request("POST", path, body.dump());
}

Result<nlohmann::json> ServerClient::request(const std::string& method, const std::string& path,
                                             const std::string& body) {
  CURL* c = static_cast<CURL*>(curl_);
  if (!c) return fail("libcurl failed to initialise");
  std::string url = base_ + path;
  auto deadline = std::chrono::steady_clock::now() + retry_.give_up_after;
  auto backoff = retry_.first_backoff;
  std::string last_error;
  for (int attempt = 1;; ++attempt) {
    Sink sink;
    curl_easy_reset(c);
    curl_slist* headers = nullptr;
    std::string auth = "Authorization: Bearer " + token_;
    headers = curl_slist_append(headers, auth.c_str());
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Accept: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(retry_.request_timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (method == "POST") {
      curl_easy_setopt(c, CURLOPT_POST, 1L);
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);

    if (sink.overflow) return fail(method + " " + path + ": response larger than " + std::to_string(kMaxResponseBytes));
    if (rc == CURLE_OK && status >= 200 && status < 300) {
      if (sink.data.empty()) return nlohmann::json::object();
      auto j = nlohmann::json::parse(sink.data, nullptr, false);
      if (j.is_discarded()) return fail(method + " " + path + ": the server's answer is not JSON");
      return j;
    }
    if (rc == CURLE_OK && status >= 400 && status < 500) {
      auto j = nlohmann::json::parse(sink.data, nullptr, false);
      std::string why = (!j.is_discarded() && j.is_object() && j.contains("error")) ? j["error"].dump() : sink.data;
      if (!j.is_discarded() && j.is_object() && j["error"].is_string()) why = j["error"].get<std::string>();
      return fail(std::make_error_code(std::errc::permission_denied),
                  method + " " + path + ": HTTP " + std::to_string(status) + ": " + why);
    }
    last_error = rc != CURLE_OK ? curl_easy_strerror(rc) : "HTTP " + std::to_string(status);
    if (std::chrono::steady_clock::now() + backoff > deadline)
      return fail(std::make_error_code(std::errc::timed_out),
                  method + " " + url + ": gave up after " + std::to_string(attempt) + " attempts: " + last_error);
    INGOT_LOG(warn, "agent") << method << " " << path << " failed (" << last_error << "), retrying in "
                             << backoff.count() << " ms";
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, retry_.max_backoff);
  }
}

}  // namespace ingot::agent
