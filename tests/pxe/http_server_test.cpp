// Integration: an HttpServer in this process on 127.0.0.1:0 with test routes, driven by real
// curl: a streamed (chunked) body as the event stream will use, 500 from a throwing handler,
// 404 off the routes, keep-alive across streamed responses.
#include <doctest/doctest.h>

#include "tests/pxe/running_http_server.h"
#include "tests/support/test_support.h"

using namespace ingot;
using namespace ingot::pxe;

using Running = test::RunningHttpServer;

TEST_CASE("streamed body, throwing handler, 404 on an empty router path") {
  HttpRouter router;
  router.add("GET", "/events", [](const HttpRequest&) {
    HttpResponse r;
    r.header("Content-Type", "text/event-stream");
    r.body = StreamBody([](HttpStreamWriter& w) -> asio::awaitable<void> {
      for (int i = 0; i < 3; ++i)
        if (!co_await w.write("data: event " + std::to_string(i) + "\n\n")) co_return;
    });
    return r;
  });
  router.add("GET", "/boom", [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("bug"); });
  Running srv(std::move(router));

  std::string out;
  auto run = [&](const std::string& cmd) {
    out.clear();  // test::run appends
    return test::run(cmd, &out);
  };
  REQUIRE(run("curl -sf -D - " + srv.url("/events")) == 0);
  CHECK(out.find("Transfer-Encoding: chunked") != std::string::npos);
  CHECK(out.find("data: event 0\n\ndata: event 1\n\ndata: event 2\n\n") != std::string::npos);
  REQUIRE(run("curl -s -o /dev/null -w '%{http_code}' " + srv.url("/boom")) == 0);
  CHECK(out == "500");
  REQUIRE(run("curl -s -o /dev/null -w '%{http_code}' " + srv.url("/other")) == 0);
  CHECK(out == "404");
  // Two requests on one connection, the second after the first's stream ended.
  REQUIRE(run("curl -s -o /dev/null -o /dev/null -w '%{num_connects} ' " + srv.url("/events") + " " +
                        srv.url("/events")) == 0);
  CHECK(out == "1 0 ");
}
