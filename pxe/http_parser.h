// HTTP/1.1 request parsing (RFC 9112) on Beast's parser, with ingot's input limits, turned into
// the Beast-free HttpRequest handlers see. The server parses incrementally from the socket;
// parse_request() runs the same limits over a buffer (fuzzing, tests).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "common/result.h"
#include "pxe/http_error.h"
#include "pxe/http_request.h"

namespace ingot::pxe {

// Request line + header fields. iPXE's and curl's requests are under 1 KiB; the API's bearer
// tokens are ~100 bytes. 8 KiB is nginx's default large header buffer, so every client that
// works with nginx works here, and a flood of fields costs at most 8 KiB per connection.
inline constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
// Request bodies are held in memory: agent facts and API JSON are a few KiB; 1 MiB leaves
// two orders of magnitude of room and bounds memory at 1 MiB per connection. Image uploads,
// when they come, stream instead of raising this.
inline constexpr std::size_t kMaxBodyBytes = 1024 * 1024;

using BeastParser = boost::beast::http::request_parser<boost::beast::http::string_body>;
using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;

void apply_limits(BeastParser& parser);

// Maps a Beast parse error to the status the client gets: 431, 413 or 400.
HttpError classify(const boost::system::error_code& ec);

// Fails (bad_request) on a target that is neither origin- nor absolute-form or has a bad escape.
Result<HttpRequest> to_request(BeastRequest&& message);

// One complete request from a buffer; an incomplete one is a bad request.
Result<HttpRequest> parse_request(std::string_view bytes);

}  // namespace ingot::pxe
