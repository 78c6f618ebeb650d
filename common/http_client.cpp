#include "common/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

namespace ingot {
namespace {

// Before any handle and before the threads that use them: libcurl's global set-up is not
// thread-safe itself, a function-local static is.
void global_init() {
  static const bool done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)done;
}

// Frees its header list on every path out of perform().
struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
  void add(const std::string& field) {
    if (curl_slist* l = curl_slist_append(list, field.c_str())) list = l;
  }
};

// What the callbacks of one transfer share.
struct Transfer {
  const HttpRequest& request;
  HttpResponse& response;
  CURL* curl;
  bool too_large = false;
  std::optional<Error> sink_error;
};

size_t on_body(char* p, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view chunk(p, size * n);
  std::string& kept = t->response.body;
  if (t->request.on_body) {
    long status = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status >= 300) {
      kept.append(chunk.substr(0, kMaxHttpErrorBody - std::min(kMaxHttpErrorBody, kept.size())));
      return chunk.size();
    }
    if (auto r = t->request.on_body(chunk); !r) {
      t->sink_error = r.error();
      return 0;  // ends the transfer with CURLE_WRITE_ERROR
    }
    return chunk.size();
  }
  if (kept.size() + chunk.size() > t->request.max_body) {
    t->too_large = true;
    return 0;
  }
  kept.append(chunk);
  return chunk.size();
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

size_t on_header(char* p, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(p, size * n);
  auto& headers = t->response.headers;
  // A status line starts another answer (after a 100 Continue): only the last one's fields count.
  if (line.starts_with("HTTP/")) {
    headers.clear();
    return line.size();
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos || headers.size() >= kMaxHttpHeaders) return line.size();
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  headers.emplace_back(std::move(name), trimmed(line.substr(colon + 1)));
  return line.size();
}

HttpClientError error_of(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT: return HttpClientError::connect_failed;
    case CURLE_OPERATION_TIMEDOUT: return HttpClientError::timed_out;
    default: return HttpClientError::transfer_failed;
  }
}

void set_options(CURL* c, const HttpRequest& req, HeaderList& headers, Transfer& t) {
  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  // No signals (SIGALRM for name resolution timeouts): handles live on worker threads.
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(req.connect_timeout.count()));
  if (req.timeout.count() > 0) curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(req.timeout.count()));
  if (req.low_speed_bytes > 0) {
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(req.low_speed_bytes));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(req.low_speed_time.count()));
  }
  if (req.accept_encoding) curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  if (!req.range.empty()) curl_easy_setopt(c, CURLOPT_RANGE, req.range.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  if (!req.bearer_token.empty()) headers.add("Authorization: Bearer " + req.bearer_token);
  if (!req.content_type.empty()) headers.add("Content-Type: " + req.content_type);
  for (auto& h : req.headers) headers.add(h);
  // No "Expect: 100-continue", which libcurl adds past a body size (1 KiB in older releases,
  // 1 MiB now): a round trip, or libcurl's one-second wait, per request, for bodies the server
  // always wants (packs, facts, reports).
  headers.add("Expect:");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.list);
  if (req.method == HttpMethod::post) {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
}

}  // namespace

const char* error_message(HttpClientError e) {
  switch (e) {
    case HttpClientError::no_handle: return "libcurl failed to initialise";
    case HttpClientError::connect_failed: return "could not connect";
    case HttpClientError::timed_out: return "timed out";
    case HttpClientError::transfer_failed: return "transfer failed";
    case HttpClientError::body_too_large: return "answer too large";
  }
  return nullptr;
}

struct HttpClient::Handle {
  CURL* curl = nullptr;
  Handle() : curl((global_init(), curl_easy_init())) {}
  ~Handle() {
    if (curl) curl_easy_cleanup(curl);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
};

HttpClient::HttpClient() : handle_(std::make_unique<Handle>()) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

Result<HttpResponse> HttpClient::perform(const HttpRequest& req) {
  if (!handle_ || !handle_->curl) return fail(HttpClientError::no_handle, req.url + ": libcurl failed to initialise");
  CURL* c = handle_->curl;
  // Reset clears the last request's options; the handle keeps its open connection for this one.
  curl_easy_reset(c);
  HttpResponse response;
  Transfer t{req, response, c};
  HeaderList headers;
  set_options(c, req, headers, t);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  long connects = 0;
  curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
  response.reused_connection = rc == CURLE_OK && connects == 0;
  if (t.sink_error) return fail(t.sink_error->code, req.url + ": " + t.sink_error->message());
  if (t.too_large)
    return fail(HttpClientError::body_too_large, req.url + ": answer larger than " + std::to_string(req.max_body) + " bytes");
  if (rc != CURLE_OK) return fail(error_of(rc), req.url + ": " + curl_easy_strerror(rc));
  return response;
}

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (auto& [n, v] : headers)
    if (n == name) return v;
  return std::nullopt;
}

std::string HttpResponse::describe_status(const std::string& url) const {
  std::string why = trimmed(std::string_view(body).substr(0, body.find('\n')));
  // A line of explanation, not a whole page.
  constexpr std::size_t kMaxWhy = 200;
  if (why.size() > kMaxWhy) why = why.substr(0, kMaxWhy) + "...";
  return url + ": HTTP " + std::to_string(status) + (why.empty() ? "" : ": " + why);
}

}  // namespace ingot
