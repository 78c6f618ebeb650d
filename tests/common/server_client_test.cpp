// ServerClient, the agent's and the CLI's line to the REST API: JSON both ways with the bearer
// token, 5xx and no answer retried until a deadline (a server restart must not fail a deploy),
// 4xx final with the server's own explanation.
#include <doctest/doctest.h>

#include <atomic>

#include "common/server_client.h"
#include "tests/pxe/running_http_server.h"

using namespace ingot;
using pxe::HttpRouter;
using Request = pxe::HttpRequest;
using Response = pxe::HttpResponse;
using nlohmann::json;

namespace {

RetryPolicy quick(std::chrono::seconds give_up) {
  RetryPolicy r;
  r.give_up_after = give_up;
  r.first_backoff = std::chrono::milliseconds(20);
  r.max_backoff = std::chrono::milliseconds(100);
  r.request_timeout = std::chrono::seconds(5);
  return r;
}

}  // namespace

TEST_CASE("JSON both ways with the token; 5xx retried until answered; 4xx final with the server's reason") {
  std::atomic<int> flaky_calls{0};
  HttpRouter router;
  router.add("POST", "/api/v1/facts", [](const Request& r) {
    auto body = json::parse(r.body);
    return Response::text(200, json{{"token", r.header("authorization")}, {"echo", body}}.dump(), "application/json");
  });
  router.add("GET", "/api/v1/flaky", [&](const Request&) {
    if (++flaky_calls < 3) return Response::text(503, "restarting");
    return Response::text(200, R"({"plan": "compute"})", "application/json");
  });
  router.add("GET", "/api/v1/mine", [](const Request&) {
    return Response::text(403, R"({"error": "node token does not match node-7"})", "application/json");
  });
  router.add("GET", "/api/v1/empty", [](const Request&) { return Response::text(204, ""); });
  router.add("GET", "/api/v1/html", [](const Request&) { return Response::text(200, "<html>", "text/html"); });
  test::RunningHttpServer srv(std::move(router));
  ServerClient client(srv.url(""), "node-token", quick(std::chrono::seconds(10)));

  auto posted = client.post_json("/api/v1/facts", {{"disk", 2}});
  REQUIRE_MESSAGE(posted, posted.error().message());
  CHECK((*posted)["token"] == "Bearer node-token");
  CHECK((*posted)["echo"]["disk"] == 2);

  auto flaky = client.get_json("/api/v1/flaky");
  REQUIRE_MESSAGE(flaky, flaky.error().message());
  CHECK((*flaky)["plan"] == "compute");
  CHECK(flaky_calls == 3);

  auto mine = client.get_json("/api/v1/mine");
  REQUIRE_FALSE(mine);
  CHECK(mine.error().code == std::errc::permission_denied);
  CHECK(mine.error().message() == "GET /api/v1/mine: HTTP 403: node token does not match node-7");

  auto empty = client.get_json("/api/v1/empty");
  REQUIRE(empty);
  CHECK(*empty == json::object());
  auto html = client.get_json("/api/v1/html");
  REQUIRE_FALSE(html);
  CHECK(html.error().message() == "GET /api/v1/html: the server's answer is not JSON");
}

TEST_CASE("no server: retried with backoff, then a timed_out error saying why") {
  ServerClient client("http://127.0.0.1:1", "t", quick(std::chrono::seconds(1)));
  auto start = std::chrono::steady_clock::now();
  auto r = client.get_json("/api/v1/plan");
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r);
  CHECK(r.error().code == std::errc::timed_out);
  CHECK(r.error().message().starts_with("GET /api/v1/plan: gave up after "));
  CHECK(r.error().message().find("Couldn't connect") != std::string::npos);
  CHECK(took < std::chrono::seconds(3));
}
