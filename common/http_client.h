// The one HTTP(S) client of ingot, over libcurl: the agent and the CLI talking to the REST API
// (common/server_client.h), the image sync fetching manifests, objects and packs. One libcurl
// handle per HttpClient, reused request after request so its connection stays open
// (keep-alive); a client is for one thread at a time, so parallel fetchers own one each.
// libcurl stays out of this header: callers see requests, responses and Result errors.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "common/error_category.h"
#include "common/result.h"

namespace ingot {

// Why a request got no answer. A status (404, 503) is an answer, not one of these.
enum class HttpClientError {
  no_handle = 1,      // libcurl could not make a handle (out of memory)
  connect_failed,     // name not resolved, connection refused or unreachable
  timed_out,          // connect, whole-request or low-speed limit passed
  transfer_failed,    // the connection broke, the answer was not HTTP, TLS failed...
  body_too_large,     // the answer passed HttpRequest::max_body
};
// An on_body sink's own error ends a transfer with that error's code, the URL prefixed.
const char* error_message(HttpClientError e);
inline std::error_code make_error_code(HttpClientError e) { return enum_error_code<"http_client">(e); }

// A 2xx answer's body, chunk by chunk as it arrives (decoded when accept_encoding is set).
// An error stops the transfer and becomes perform()'s error.
using HttpBodySink = std::function<Result<void>(std::string_view chunk)>;

// Answers kept in memory (API replies, manifests) are bounded by the caller's max_body; this
// is the default, enough for the largest plan or config bundle a node reads whole.
inline constexpr std::size_t kDefaultMaxHttpBody = 64 * 1024 * 1024;
// An error answer's body when a sink takes 2xx bodies: servers explain a 4xx in a line or two.
inline constexpr std::size_t kMaxHttpErrorBody = 4096;
// Header fields kept from one answer: ours send a handful; a server sending more is not
// telling us anything we read.
inline constexpr std::size_t kMaxHttpHeaders = 64;

enum class HttpMethod { get, post };

struct HttpRequest {
  HttpMethod method = HttpMethod::get;
  std::string url;
  std::string body;             // sent with POST
  std::string content_type;     // Content-Type of body, when set
  std::string bearer_token;     // "Authorization: Bearer <token>", when set
  std::vector<std::string> headers;  // further "Name: value" fields
  // Asks for any coding libcurl decodes (zstd, gzip): the server zstd-codes manifests, ~10x
  // fewer bytes. Sinks and max_body see decoded bytes.
  bool accept_encoding = false;
  std::string range;            // "first-last" byte range (RFC 9110 §14.2), when set
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds timeout{0};  // the whole request; 0: none (an image object may take long)
  // A transfer below low_speed_bytes per second for low_speed_time is dead, however long the
  // whole may take; 0: no such limit.
  std::uint32_t low_speed_bytes = 0;
  std::chrono::seconds low_speed_time{0};
  // Where a 2xx body goes. Unset: into HttpResponse::body, at most max_body bytes (more is
  // body_too_large). Set: the sink gets 2xx bodies and a non-2xx body is kept, cut at
  // kMaxHttpErrorBody, in HttpResponse::body to explain the status.
  HttpBodySink on_body;
  std::size_t max_body = kDefaultMaxHttpBody;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  // The final answer's header fields, names lowercased, values trimmed.
  std::vector<std::pair<std::string, std::string>> headers;
  bool reused_connection = false;  // went over the connection the last request left open

  bool success() const { return status >= 200 && status < 300; }
  // The first field with this name (lowercase), nullopt when absent.
  std::optional<std::string> header(std::string_view name) const;
  // "<url>: HTTP <status>: <first line of body>" for an answer the caller did not want.
  std::string describe_status(const std::string& url) const;
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Any status is a response; only no answer is an error, its message naming the URL.
  Result<HttpResponse> perform(const HttpRequest& request);

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

}  // namespace ingot

template <>
struct std::is_error_code_enum<ingot::HttpClientError> : std::true_type {};
