// The DHCP shell over loopback, as a relay agent would drive it (the boot-storm bench does the
// same): relayed requests get unicast replies to giaddr at the server port, a garbage datagram
// is dropped without ending the loop, and leases are committed before replies go out.
#include <doctest/doctest.h>

#include <thread>

#include "pxe/dhcp_full_responder.h"
#include "pxe/dhcp_server.h"
#include "tests/pxe/dhcp_test_client.h"
#include "tests/pxe/dhcp_test_util.h"

using namespace ingot::pxe;

namespace {

Ipv4 ip(const char* s) { return *parse_ipv4(s); }

class BootAll final : public BootPolicy {
 public:
  BootDecision decide(const Machine&) override { return {BootDecision::Action::boot, "k", {}, ""}; }
};

}  // namespace

TEST_CASE("server: relayed DISCOVER/REQUEST over loopback; garbage dropped; commit before reply") {
  AddressPlan plan;
  plan.first = ip("127.0.1.1");
  plan.last = ip("127.0.1.50");
  plan.netmask = ip("255.0.0.0");
  LeaseTable leases(plan);
  BootAll policy;
  FullDhcpConfig cfg;
  FullDhcpResponder responder(cfg, leases, policy);

  ingot::asio::io_context io;
  int commits = 0;
  bool dirty_at_commit = false;
  DhcpServerConfig sc;
  sc.listen = ip("127.0.0.1");
  sc.port = 0;
  sc.after_batch = [&]() -> ingot::Result<void> {
    ++commits;
    dirty_at_commit = dirty_at_commit || leases.dirty();
    leases.clear_dirty();
    return ingot::ok();
  };
  auto server = DhcpServer::start(io, sc, responder);
  REQUIRE(server.has_value());
  std::uint16_t port = (*server)->port();
  REQUIRE(port != 0);
  std::thread loop([&] {
    auto guard = ingot::asio::make_work_guard(io);
    io.run();
  });

  // The relay listens where replies go: giaddr at the server port.
  ingot::pxe::test::DhcpTestClient relay(ip("127.0.0.2"), port);
  REQUIRE(relay.ok());
  // A flood of garbage first (past the log limit): dropped, the loop goes on.
  for (int i = 0; i < kMaxDropLogsPerMinute + 30; ++i) relay.send_raw({1, 2, 3, 4}, ip("127.0.0.1"), port);

  auto d = ingot::pxe::test::request(DhcpMessageType::discover);
  d.giaddr = ip("127.0.0.2");
  d.hops = 1;
  REQUIRE(relay.send(d, ip("127.0.0.1"), port));
  auto offer = relay.receive(d.xid, 2000);
  REQUIRE(offer);
  CHECK(offer->message_type() == DhcpMessageType::offer);
  CHECK(offer->yiaddr == ip("127.0.1.1"));
  CHECK(offer->giaddr == ip("127.0.0.2"));
  CHECK(offer->options.ip(opt::server_id) == ip("127.0.0.1"));

  auto r = ingot::pxe::test::request(DhcpMessageType::request);
  r.giaddr = ip("127.0.0.2");
  r.options.set_ip(opt::server_id, ip("127.0.0.1"));
  r.options.set_ip(opt::requested_ip, offer->yiaddr);
  REQUIRE(relay.send(r, ip("127.0.0.1"), port));
  auto ack = relay.receive(r.xid, 2000);
  REQUIRE(ack);
  CHECK(ack->message_type() == DhcpMessageType::ack);
  CHECK(dirty_at_commit);  // the binding was committed before the ACK was sent
  CHECK(commits >= 2);

  io.stop();
  loop.join();
}

TEST_CASE("server: an interface that does not exist is a clear error") {
  ingot::asio::io_context io;
  AddressPlan plan;
  LeaseTable leases(plan);
  BootAll policy;
  FullDhcpResponder responder(FullDhcpConfig{}, leases, policy);
  DhcpServerConfig sc;
  sc.listen = ip("127.0.0.1");
  sc.port = 0;
  sc.interface = "no-such-if0";
  auto second = DhcpServer::start(io, sc, responder);
  REQUIRE_FALSE(second.has_value());
  CHECK(second.error().message().find("no-such-if0") != std::string::npos);
}
