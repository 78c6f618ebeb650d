// Unit tests for the HTTP codec side: target decoding, request parsing limits, ranges,
// validators, path resolution under the root, routing, response heads.
#include <doctest/doctest.h>

#include <filesystem>
#include <unistd.h>

#include "pxe/http_parser.h"
#include "pxe/http_range.h"
#include "pxe/http_root.h"
#include "pxe/http_router.h"
#include "pxe/http_static_files.h"
#include "pxe/http_validators.h"
#include "tests/support/test_support.h"

using namespace ingot::pxe;
namespace fs = std::filesystem;

TEST_CASE("percent_decode: escapes, plus, bad input") {
  CHECK(*percent_decode("a%2Fb%2e", false) == "a/b.");
  CHECK(*percent_decode("a+b", true) == "a b");
  CHECK(*percent_decode("a+b", false) == "a+b");
  CHECK_FALSE(percent_decode("%2", false));
  CHECK_FALSE(percent_decode("%", false));
  CHECK_FALSE(percent_decode("%zz", false));
  CHECK_FALSE(percent_decode("a%00b", false));  // no NUL in names
}

TEST_CASE("split_target: origin-form, absolute-form, query decoding") {
  HttpRequest r;
  REQUIRE(split_target("/boot.ipxe?mac=52-54-00-12-34-56&uuid=&x=a%20b&&flag", r));
  CHECK(r.path == "/boot.ipxe");
  CHECK(*r.param("mac") == "52-54-00-12-34-56");
  CHECK(*r.param("uuid") == "");
  CHECK(*r.param("x") == "a b");
  CHECK(*r.param("flag") == "");
  CHECK_FALSE(r.param("nope"));
  REQUIRE(split_target("http://10.0.0.1:8080/a/%2e%2e/b", r));
  CHECK(r.path == "/a/../b");  // decoded; the root refuses it later
  REQUIRE(split_target("http://host", r));
  CHECK(r.path == "/");
  CHECK_FALSE(split_target("*", r));
  CHECK_FALSE(split_target("boot.ipxe", r));
  CHECK_FALSE(split_target("/a%zz", r));
}

TEST_CASE("parse_request: a good request, then each refusal with its status") {
  auto r = parse_request("GET /x?a=1 HTTP/1.1\r\nHost: h:1\r\nX-Y: z\r\n\r\n");
  REQUIRE(r);
  CHECK(r->method == "GET");
  CHECK(r->host == "h:1");
  CHECK(r->header("x-y") == "z");
  CHECK(r->keep_alive);
  auto post = parse_request("POST /api HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  REQUIRE(post);
  CHECK(post->body == "hello");
  CHECK_FALSE(post->keep_alive);
  CHECK(parse_request("GET /x HTTP/1.0\r\n\r\n")->keep_alive == false);

  auto status = [](std::string_view bytes) {
    auto r = parse_request(bytes);
    return r ? 200 : r.error().code.value();
  };
  CHECK(status("garbage\r\n\r\n") == 400);
  CHECK(status("GET /x HTTP/1.1\r\nHost") == 400);  // truncated
  CHECK(status("GET x HTTP/1.1\r\n\r\n") == 400);    // not origin-form
  CHECK(status("GET /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab") == 400);
  CHECK(status("GET /x HTTP/1.1\r\nX: " + std::string(kMaxHeaderBytes, 'a') + "\r\n\r\n") == 431);
  CHECK(status("POST /x HTTP/1.1\r\nContent-Length: " + std::to_string(kMaxBodyBytes + 1) + "\r\n\r\n") == 413);
  std::string chunked = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) chunked += "10000\r\n" + std::string(0x10000, 'x') + "\r\n";
  CHECK(status(chunked + "0\r\n\r\n") == 413);  // no length up front: caught while reading
}

TEST_CASE("parse_range: single ranges, suffixes, unsatisfiable, ignored forms") {
  using K = ByteRange::Kind;
  auto r = parse_range("bytes=0-9", 100);
  CHECK((r.kind == K::partial && r.first == 0 && r.last == 9));
  r = parse_range("bytes=90-", 100);
  CHECK((r.kind == K::partial && r.first == 90 && r.last == 99));
  r = parse_range("bytes=-10", 100);
  CHECK((r.kind == K::partial && r.first == 90 && r.last == 99));
  r = parse_range("bytes=-1000", 100);
  CHECK((r.kind == K::partial && r.first == 0 && r.last == 99));
  r = parse_range("bytes=50-5000", 100);
  CHECK((r.kind == K::partial && r.last == 99));
  CHECK(parse_range("bytes=100-", 100).kind == K::unsatisfiable);
  CHECK(parse_range("bytes=200-300", 100).kind == K::unsatisfiable);
  CHECK(parse_range("bytes=-0", 100).kind == K::unsatisfiable);
  CHECK(parse_range("bytes=0-", 0).kind == K::unsatisfiable);
  CHECK(parse_range("bytes=9-1", 100).kind == K::whole);  // invalid: ignored (§14.1.1)
  CHECK(parse_range("bytes=0-1,5-6", 100).kind == K::whole);
  CHECK(parse_range("items=0-1", 100).kind == K::whole);
  CHECK(parse_range("bytes=a-b", 100).kind == K::whole);
  CHECK(parse_range("bytes=--5", 100).kind == K::whole);
  CHECK(parse_range("bytes=99999999999999999999-", 100).kind == K::whole);
}

TEST_CASE("validators: ETag shape, IMF-fixdate, If-None-Match, If-Range") {
  auto v = file_validators(0x1a, 0x400, 1'700'000'000'123'456'789);
  CHECK(v.etag == "\"1a-400-17979cfe3d85cd15\"");
  CHECK(v.last_modified == "Tue, 14 Nov 2023 22:13:20 GMT");
  CHECK(http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(none_match_hits(v.etag, v.etag));
  CHECK(none_match_hits("\"x\", " + v.etag, v.etag));
  CHECK(none_match_hits("W/" + v.etag, v.etag));
  CHECK(none_match_hits("*", v.etag));
  CHECK_FALSE(none_match_hits("\"other\"", v.etag));
  CHECK_FALSE(none_match_hits("", v.etag));
  CHECK(if_range_allows("", v));
  CHECK(if_range_allows(v.etag, v));
  CHECK(if_range_allows(v.last_modified, v));
  CHECK_FALSE(if_range_allows("\"stale\"", v));
  CHECK_FALSE(if_range_allows("Mon, 01 Jan 2001 00:00:00 GMT", v));
}

TEST_CASE("HttpRoot: files beneath the root only") {
  ingot::test::TempDir tmp;
  fs::create_directories(tmp / "root/sub");
  ingot::test::write_file(tmp / "root/sub/file", "inside");
  ingot::test::write_file(tmp / "secret", "outside");
  fs::create_symlink("file", tmp / "root/sub/ok-link");
  fs::create_symlink(tmp / "secret", tmp / "root/abs-link");
  fs::create_symlink("../secret", tmp / "root/rel-link");
  auto root = HttpRoot::open(tmp / "root");
  REQUIRE(root);
  CHECK(root->open_file("/sub/file"));
  CHECK(root->open_file("//sub/./file"));
  CHECK(root->open_file("/sub/ok-link"));  // a symlink that stays inside is fine
  auto code = [&](std::string_view p) { return root->open_file(p).error().code; };
  CHECK(code("/../secret") == std::errc::permission_denied);
  CHECK(code("/sub/../../secret") == std::errc::permission_denied);
  CHECK(code("/abs-link") == std::errc::permission_denied);
  CHECK(code("/rel-link") == std::errc::permission_denied);
  CHECK(code("/missing") == std::errc::no_such_file_or_directory);
  CHECK(code("/sub") == std::errc::no_such_file_or_directory);  // directories are not served
  CHECK(code("/") == std::errc::no_such_file_or_directory);
  CHECK(code("/sub/file/x") == std::errc::no_such_file_or_directory);
  CHECK_FALSE(HttpRoot::open(tmp / "nope"));
}

TEST_CASE("HttpStaticFiles: 200, 206, 416, 304, types") {
  ingot::test::TempDir tmp;
  ingot::test::write_file(tmp / "undionly.kpxe", "0123456789");
  auto root = HttpRoot::open(tmp.path());
  REQUIRE(root);
  HttpStaticFiles files(*root);
  HttpRequest req;
  req.method = "GET";
  req.path = "/undionly.kpxe";
  auto r = files.serve(req);
  CHECK(r.status == 200);
  CHECK(r.content_length() == 10);
  std::string etag;
  for (auto& [k, v] : r.headers)
    if (k == "ETag") etag = v;
  REQUIRE_FALSE(etag.empty());
  req.headers = {{"Range", "bytes=2-4"}};
  r = files.serve(req);
  CHECK(r.status == 206);
  CHECK(std::get<FileBody>(r.body).offset == 2);
  CHECK(r.content_length() == 3);
  req.headers = {{"Range", "bytes=10-"}};
  CHECK(files.serve(req).status == 416);
  req.headers = {{"Range", "bytes=2-4"}, {"If-Range", "\"stale\""}};
  CHECK(files.serve(req).status == 200);
  req.headers = {{"If-None-Match", etag}};
  CHECK(files.serve(req).status == 304);
  CHECK(content_type_for("/x/ipxe.efi") == "application/octet-stream");
  CHECK(content_type_for("/boot.ipxe").starts_with("text/plain"));
  CHECK(content_type_for("/vmlinuz") == "application/octet-stream");
}

TEST_CASE("HttpRouter: exact and prefix routes, longest wins, 404, 405 with Allow") {
  HttpRouter router;
  router.add("GET", "/", [](const HttpRequest&) { return HttpResponse::text(200, "root"); });
  router.add("GET", "/api/v1/", [](const HttpRequest&) { return HttpResponse::text(200, "api"); });
  router.add("POST", "/api/v1/", [](const HttpRequest&) { return HttpResponse::text(201, "api post"); });
  router.add("GET", "/boot.ipxe", [](const HttpRequest&) { return HttpResponse::text(200, "script"); });
  auto call = [&](std::string method, std::string path) {
    HttpRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    return router.dispatch(r);
  };
  CHECK(std::get<std::string>(call("GET", "/boot.ipxe").body) == "script");
  CHECK(std::get<std::string>(call("HEAD", "/boot.ipxe").body) == "script");
  CHECK(std::get<std::string>(call("GET", "/boot.ipxe.bak").body) == "root");
  CHECK(std::get<std::string>(call("GET", "/api/v1/nodes").body) == "api");
  CHECK(call("POST", "/api/v1/nodes").status == 201);
  auto r = call("DELETE", "/boot.ipxe");
  CHECK(r.status == 405);
  CHECK(r.headers.back().second == "GET, HEAD");
  HttpRouter empty;
  HttpRequest req;
  req.method = "GET";
  req.path = "/x";
  CHECK(empty.dispatch(req).status == 404);
}

TEST_CASE("serialize_head: framing per body kind and status") {
  auto r = HttpResponse::text(200, "hello");
  auto head = serialize_head(r, true, "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(head.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(head.find("Content-Length: 5\r\n") != std::string::npos);
  CHECK(head.find("Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n") != std::string::npos);
  CHECK(head.ends_with("Connection: keep-alive\r\n\r\n"));
  HttpResponse not_modified;
  not_modified.status = 304;
  head = serialize_head(not_modified, false, "d");
  CHECK(head.find("Content-Length") == std::string::npos);
  CHECK(head.ends_with("Connection: close\r\n\r\n"));
  HttpResponse stream;
  stream.body = StreamBody{};
  CHECK(serialize_head(stream, true, "d").find("Transfer-Encoding: chunked\r\n") != std::string::npos);
  CHECK(HttpResponse::error(431).status == 431);
  CHECK(std::get<std::string>(HttpResponse::error(431).body) == "431 Request Header Fields Too Large\n");
}
