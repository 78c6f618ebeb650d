#include "pxe/http_response.h"

#include <boost/beast/http/status.hpp>

namespace ingot::pxe {

HttpResponse HttpResponse::text(int status, std::string body, std::string_view content_type) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", std::string(content_type));
  return r;
}

HttpResponse HttpResponse::error(int status) {
  std::string body = std::to_string(status) + " " + std::string(reason_phrase(status)) + "\n";
  return text(status, std::move(body));
}

HttpResponse& HttpResponse::header(std::string name, std::string value) & {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::int64_t HttpResponse::content_length() const {
  if (auto* s = std::get_if<std::string>(&body)) return static_cast<std::int64_t>(s->size());
  if (auto* f = std::get_if<FileBody>(&body)) return static_cast<std::int64_t>(f->length);
  return -1;
}

std::string_view reason_phrase(int status) {
  auto s = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  return {s.data(), s.size()};
}

std::string serialize_head(const HttpResponse& r, bool keep_alive, std::string_view date) {
  std::string out;
  out.reserve(160);
  out += "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out += reason_phrase(r.status);
  out += "\r\nServer: ingot\r\nDate: ";
  out += date;
  out += "\r\n";
  for (const auto& [k, v] : r.headers) {
    out += k;
    out += ": ";
    out += v;
    out += "\r\n";
  }
  // 1xx, 204 and 304 carry no body and no framing (RFC 9110 §8.6, §15.4.5).
  bool bodiless = r.status < 200 || r.status == 204 || r.status == 304;
  if (!bodiless) {
    auto len = r.content_length();
    if (len < 0) {
      out += "Transfer-Encoding: chunked\r\n";
    } else {
      out += "Content-Length: ";
      out += std::to_string(len);
      out += "\r\n";
    }
  }
  out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  return out;
}

}  // namespace ingot::pxe
