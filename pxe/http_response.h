// What a handler answers: a status, header fields, and one of three bodies: a string, a byte
// range of an open file (sent with sendfile(2)), or a stream the handler writes as it goes
// (chunked, RFC 9112 §7.1: Server-Sent Events, progress). The shell adds the framing headers
// (Content-Length / Transfer-Encoding, Connection) and Date itself.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/asio.h"
#include "common/unique_fd.h"

namespace ingot::pxe {

// The open file a FileBody sends from.
using FileHandle = UniqueFd;

struct FileBody {
  FileHandle file;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

// Handed to a stream body: each write() is one chunk on the wire. Returns false once the
// client is gone or stalled past the write timeout; the producer should then return.
class HttpStreamWriter {
 public:
  virtual ~HttpStreamWriter() = default;
  virtual asio::awaitable<bool> write(std::string_view data) = 0;
};

using StreamBody = std::function<asio::awaitable<void>(HttpStreamWriter&)>;

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::variant<std::string, FileBody, StreamBody> body;
  bool close = false;  // close the connection after this response
  std::string note;    // appended to the request's log line: what the client got, and why
  // Set by a handler whose answer needs work off the event loop (an image delta built on a
  // worker pool): the shell awaits it and sends the response it returns instead of this one.
  std::function<asio::awaitable<HttpResponse>()> deferred;

  static HttpResponse text(int status, std::string body, std::string_view content_type = "text/plain");
  // A short plain-text error page: "404 Not Found\n".
  static HttpResponse error(int status);
  HttpResponse& header(std::string name, std::string value) &;
  HttpResponse&& header(std::string name, std::string value) && { return std::move(header(std::move(name), std::move(value))); }
  // Length of the body on the wire, or -1 for a stream (chunked).
  std::int64_t content_length() const;
};

std::string_view reason_phrase(int status);

// Status line and header fields, ending with the blank line. Content-Length for string and
// file bodies (also for HEAD, RFC 9110 §9.3.2), chunked framing for streams.
// date is an IMF-fixdate (RFC 9110 §5.6.7), cached by the caller: formatting it per response
// would cost more than the rest of the head.
std::string serialize_head(const HttpResponse& r, bool keep_alive, std::string_view date);

}  // namespace ingot::pxe
