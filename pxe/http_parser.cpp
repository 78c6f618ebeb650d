#include "pxe/http_parser.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

namespace ingot::pxe {
namespace http = boost::beast::http;

void apply_limits(BeastParser& parser) {
  parser.header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
  parser.body_limit(kMaxBodyBytes);
}

HttpError classify(const boost::system::error_code& ec) {
  if (ec == http::error::header_limit || ec == http::error::buffer_overflow) return HttpError::header_too_large;
  if (ec == http::error::body_limit) return HttpError::body_too_large;
  return HttpError::bad_request;
}

Result<HttpRequest> to_request(BeastRequest&& message) {
  HttpRequest r;
  r.method = std::string(message.method_string());
  r.target = std::string(message.target());
  if (auto s = split_target(r.target, r); !s) return fail(HttpError::bad_request, s.error().message());
  r.headers.reserve(8);
  for (const auto& f : message) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  r.host = std::string(message[http::field::host]);
  r.keep_alive = message.keep_alive();
  r.body = std::move(message.body());
  return r;
}

Result<HttpRequest> parse_request(std::string_view bytes) {
  BeastParser parser;
  apply_limits(parser);
  parser.eager(true);
  boost::system::error_code ec;
  while (!bytes.empty() && !parser.is_done()) {
    auto used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    if (ec == http::error::need_more) break;
    if (ec) return fail(classify(ec), ec.message());
    bytes.remove_prefix(used);
    if (used == 0) break;
  }
  if (!parser.is_done()) {
    parser.put_eof(ec);
    if (ec) return fail(classify(ec), ec.message());
    if (!parser.is_done()) return fail(HttpError::bad_request, "incomplete request");
  }
  return to_request(parser.release());
}

}  // namespace ingot::pxe
