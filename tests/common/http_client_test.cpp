// HttpClient against a real HTTP/1.1 server on loopback: what reaches the server (token, body,
// range, encodings), what comes back (status, headers, decoded bodies, streamed chunks), one
// connection kept across requests, and every way of getting no answer as a clear error.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "common/http_client.h"
#include "imagebuilder/object_codec.h"
#include "tests/pxe/running_http_server.h"

using namespace ingot;
using pxe::HttpRouter;
using Request = pxe::HttpRequest;
using Response = pxe::HttpResponse;

namespace {

// Echoes what the client sent, one "name=value" per line.
Response echo(const Request& r) {
  std::string out = "method=" + r.method + "\n";
  for (auto name : {"authorization", "content-type", "range", "accept-encoding", "expect"})
    out += std::string(name) + "=" + std::string(r.header(name)) + "\n";
  return Response::text(200, out + "body=" + r.body);
}

HttpRouter routes() {
  HttpRouter router;
  router.add("GET", "/echo", echo);
  router.add("POST", "/echo", echo);
  router.add("GET", "/image", [](const Request&) {
    return Response::text(200, "manifest").header("X-Ingot-Image", " demo@3 ");
  });
  router.add("GET", "/coded", [](const Request&) {
    auto frame = image::zstd_compress(std::string(100000, 'z'), 3);
    REQUIRE(frame);
    return Response::text(200, *frame).header("Content-Encoding", "zstd");
  });
  router.add("GET", "/big", [](const Request&) { return Response::text(200, std::string(1 << 20, 'x')); });
  router.add("GET", "/refused", [](const Request&) { return Response::text(403, "not yours\nmore detail\n"); });
  return router;
}

}  // namespace

TEST_CASE("GET: status, body and header fields; one connection for consecutive requests") {
  test::RunningHttpServer srv(routes());
  HttpClient http;
  auto a = http.perform({.url = srv.url("/image")});
  REQUIRE_MESSAGE(a, a.error().message());
  CHECK(a->status == 200);
  CHECK(a->success());
  CHECK(a->body == "manifest");
  CHECK(a->header("x-ingot-image") == "demo@3");
  CHECK_FALSE(a->header("x-absent"));
  CHECK_FALSE(a->reused_connection);
  auto b = http.perform({.url = srv.url("/echo")});
  REQUIRE(b);
  CHECK(b->reused_connection);  // kept alive: the image sync relies on it for thousands of objects
  auto missing = http.perform({.url = srv.url("/nowhere")});
  REQUIRE(missing);  // a status is an answer
  CHECK(missing->status == 404);
  CHECK(missing->describe_status(srv.url("/nowhere")) == srv.url("/nowhere") + ": HTTP 404: 404 Not Found");
}

TEST_CASE("POST: bearer token, body and its type reach the server, without Expect") {
  test::RunningHttpServer srv(routes());
  HttpClient http;
  std::string body(200000, 'j');  // past the size older libcurl releases ask 100-continue for
  auto r = http.perform({.method = HttpMethod::post,
                         .url = srv.url("/echo"),
                         .body = body,
                         .content_type = "application/json",
                         .bearer_token = "tok3n"});
  REQUIRE_MESSAGE(r, r.error().message());
  CHECK(r->body.find("method=POST\n") != std::string::npos);
  CHECK(r->body.find("authorization=Bearer tok3n\n") != std::string::npos);
  CHECK(r->body.find("content-type=application/json\n") != std::string::npos);
  CHECK(r->body.find("expect=\n") != std::string::npos);
  CHECK(r->body.ends_with("body=" + body));
}

TEST_CASE("range and accept-encoding are sent; a zstd-coded answer arrives decoded") {
  test::RunningHttpServer srv(routes());
  HttpClient http;
  auto r = http.perform({.url = srv.url("/echo"), .range = "0-99"});
  REQUIRE(r);
  CHECK(r->body.find("range=bytes=0-99\n") != std::string::npos);
  CHECK(r->body.find("accept-encoding=\n") != std::string::npos);
  auto coded = http.perform({.url = srv.url("/coded"), .accept_encoding = true});
  REQUIRE_MESSAGE(coded, coded.error().message());
  CHECK(coded->body == std::string(100000, 'z'));
  // max_body bounds the decoded bytes, not the few on the wire.
  auto bounded = http.perform({.url = srv.url("/coded"), .accept_encoding = true, .max_body = 50000});
  REQUIRE_FALSE(bounded);
  CHECK(bounded.error().code == HttpClientError::body_too_large);
}

TEST_CASE("a sink gets 2xx bodies as they come; its error ends the transfer; error bodies stay apart") {
  test::RunningHttpServer srv(routes());
  HttpClient http;
  std::string got;
  int chunks = 0;
  auto sink = [&](std::string_view c) {
    got.append(c);
    ++chunks;
    return ok();
  };
  auto r = http.perform({.url = srv.url("/big"), .on_body = sink, .max_body = 10});  // max_body: bodies kept only
  REQUIRE_MESSAGE(r, r.error().message());
  CHECK(got == std::string(1 << 20, 'x'));
  CHECK(chunks > 1);
  CHECK(r->body.empty());

  got.clear();
  auto refused = http.perform({.url = srv.url("/refused"), .on_body = sink});
  REQUIRE(refused);
  CHECK(refused->status == 403);
  CHECK(got.empty());
  CHECK(refused->describe_status("u") == "u: HTTP 403: not yours");

  auto stop = [](std::string_view) -> Result<void> { return fail(std::make_error_code(std::errc::no_space_on_device), "disk full"); };
  auto stopped = http.perform({.url = srv.url("/big"), .on_body = stop});
  REQUIRE_FALSE(stopped);
  CHECK(stopped.error().code == std::errc::no_space_on_device);
  CHECK(stopped.error().message() == srv.url("/big") + ": disk full");
  auto after = http.perform({.url = srv.url("/image")});  // the handle is still good
  REQUIRE(after);
  CHECK(after->body == "manifest");
}

TEST_CASE("no answer: refused connection, answer too large, too slow; each names the URL") {
  HttpClient http;
  auto refused = http.perform({.url = "http://127.0.0.1:1/x"});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == HttpClientError::connect_failed);
  CHECK(refused.error().message().starts_with("http://127.0.0.1:1/x: "));
  CHECK(refused.error().message().find("Couldn't connect") != std::string::npos);  // tests/provisioner/upgrade.sh

  HttpRouter router = routes();
  router.add("GET", "/slow", [](const Request&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    return Response::text(200, "late");
  });
  test::RunningHttpServer srv(std::move(router));
  auto big = http.perform({.url = srv.url("/big"), .max_body = 1000});
  REQUIRE_FALSE(big);
  CHECK(big.error().code == HttpClientError::body_too_large);
  CHECK(big.error().message() == srv.url("/big") + ": answer larger than 1000 bytes");
  auto slow = http.perform({.url = srv.url("/slow"), .timeout = std::chrono::seconds(1)});
  REQUIRE_FALSE(slow);
  CHECK(slow.error().code == HttpClientError::timed_out);
  CHECK(slow.error().message().starts_with(srv.url("/slow") + ": "));
}

TEST_CASE("a moved-from client answers with an error, not a crash") {
  HttpClient a;
  HttpClient b = std::move(a);
  auto r = a.perform({.url = "http://127.0.0.1:1/"});  // NOLINT(bugprone-use-after-move): the point
  REQUIRE_FALSE(r);
  CHECK(r.error().code == HttpClientError::no_handle);
}
