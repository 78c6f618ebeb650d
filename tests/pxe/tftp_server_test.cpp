// `ingot serve` TFTP against a raw client that checks the protocol packet by packet: refused
// paths and write requests get ERROR packets, malformed packets are dropped without harm,
// duplicate ACKs cause no duplicate DATA, windows rewind on a partial ACK, silence retransmits.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <regex>
#include <sys/socket.h>
#include <unistd.h>

#include "pxe/tftp_packet.h"
#include "tests/support/test_support.h"

using namespace ingot::pxe::tftp;
namespace t = ingot::test;

namespace {

struct Server {
  t::TempDir dir;
  std::unique_ptr<t::Child> child;
  std::uint16_t port = 0;

  Server() {
    std::filesystem::create_directories(dir / "root" / "sub");
    std::string data;
    for (int i = 0; i < 5000; ++i) data += static_cast<char>(i * 7);
    t::write_file(dir / "root" / "file.bin", data);
    t::write_file(dir / "outside", "secret");
    std::filesystem::create_symlink("../outside", dir / "root" / "escape");
    std::filesystem::create_symlink("/etc/passwd", dir / "root" / "escape_abs");
    child = std::make_unique<t::Child>(std::vector<std::string>{t::env_or("INGOT_BIN", "ingot"), "serve", "--listen",
                                                                 "127.0.0.1", "--tftp-root", (dir / "root").string(),
                                                                 "--tftp-port", "0", "--http-port", "0", "--log-level", "debug"},
                                       dir / "log");
    std::regex re("listening on 127\\.0\\.0\\.1:([0-9]+)");
    REQUIRE(t::wait_until(
        [&] {
          std::smatch m;
          auto log = t::read_file(dir / "log");
          if (!std::regex_search(log, m, re)) return false;
          port = static_cast<std::uint16_t>(std::stoi(m[1]));
          return true;
        },
        std::chrono::seconds(10)));
  }
  std::string log() { return t::read_file(dir / "log"); }
  // The server logs `line` within 3 s: a separate process, its log may lag what the client saw.
  bool logs(const std::string& line) {
    return t::wait_until([&] { return log().find(line) != std::string::npos; }, std::chrono::seconds(3));
  }
};

// A UDP client on 127.0.0.1 that remembers the transfer port of the first reply.
struct Client {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in server{};
  sockaddr_in tid{};
  ~Client() { ::close(fd); }
  explicit Client(std::uint16_t port) {
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  }
  void send_to_server(const std::vector<std::uint8_t>& b) {
    ::sendto(fd, b.data(), b.size(), 0, reinterpret_cast<sockaddr*>(&server), sizeof server);
  }
  void send_to_tid(const std::vector<std::uint8_t>& b) {
    ::sendto(fd, b.data(), b.size(), 0, reinterpret_cast<sockaddr*>(&tid), sizeof tid);
  }
  // The next packet within timeout_ms, or nothing.
  std::optional<Packet> receive(int timeout_ms, std::vector<std::uint8_t>& storage) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) != 1) return std::nullopt;
    storage.resize(kMaxPacketSize);
    socklen_t len = sizeof tid;
    auto n = ::recvfrom(fd, storage.data(), storage.size(), 0, reinterpret_cast<sockaddr*>(&tid), &len);
    if (n < 0) return std::nullopt;
    storage.resize(static_cast<std::size_t>(n));
    auto d = decode(storage);
    REQUIRE(d);
    return *d;
  }
};

ErrorPacket expect_error(Server& s, const std::vector<std::uint8_t>& request) {
  Client c(s.port);
  c.send_to_server(request);
  std::vector<std::uint8_t> buf;
  auto p = c.receive(3000, buf);
  REQUIRE(p);
  REQUIRE(std::holds_alternative<ErrorPacket>(*p));
  return std::get<ErrorPacket>(*p);
}

std::vector<std::uint8_t> rrq(const std::string& name, std::vector<Option> opts = {}, const std::string& mode = "octet") {
  return encode(Request{Opcode::rrq, name, mode, std::move(opts)});
}

}  // namespace

TEST_CASE("paths leaving the root, write requests and netascii get TFTP ERROR packets") {
  Server s;
  CHECK(expect_error(s, rrq("../outside")).code == ErrorCode::access_violation);
  CHECK(expect_error(s, rrq("sub/../../outside")).code == ErrorCode::access_violation);
  CHECK(expect_error(s, rrq("/etc/passwd")).code == ErrorCode::access_violation);
  CHECK(expect_error(s, rrq("escape")).code == ErrorCode::access_violation);
  CHECK(expect_error(s, rrq("escape_abs")).code == ErrorCode::access_violation);
  CHECK(expect_error(s, rrq("sub")).code == ErrorCode::access_violation);
  CHECK(expect_error(s, rrq("missing")).code == ErrorCode::file_not_found);
  auto w = expect_error(s, encode(Request{Opcode::wrq, "up.bin", "octet", {}}));
  CHECK(w.code == ErrorCode::access_violation);
  CHECK(w.message.find("read-only") != std::string::npos);
  auto n = expect_error(s, rrq("file.bin", {}, "netascii"));
  CHECK(n.code == ErrorCode::illegal_operation);
  CHECK(n.message.find("octet") != std::string::npos);
  auto log = s.log();
  CHECK(log.find("refused 'escape': 'escape' resolves outside the root") != std::string::npos);
  CHECK(log.find("refused write request for 'up.bin'") != std::string::npos);
}

TEST_CASE("malformed requests are logged and dropped; the server keeps serving") {
  Server s;
  Client c(s.port);
  std::vector<std::vector<std::uint8_t>> junk = {{}, {0}, {0, 9, 1}, {0, 1, 'f'}, std::vector<std::uint8_t>(600, 1)};
  for (const auto& j : junk) c.send_to_server(j);
  std::vector<std::uint8_t> buf;
  CHECK_FALSE(c.receive(300, buf));
  c.send_to_server(rrq("file.bin"));
  auto p = c.receive(3000, buf);
  REQUIRE(p);
  REQUIRE(std::holds_alternative<Data>(*p));
  CHECK(std::get<Data>(*p).block == 1);
  CHECK(s.log().find("dropped malformed request") != std::string::npos);
  // A malformed packet on the transfer port is dropped too, and the transfer goes on.
  c.send_to_tid({0, 4, 0});
  c.send_to_tid(encode(Ack{1}));
  p = c.receive(3000, buf);
  REQUIRE(p);
  CHECK(std::get<Data>(*p).block == 2);
  CHECK(s.logs("dropped malformed packet"));
}

TEST_CASE("lock-step: duplicate ACKs cause no duplicate DATA; silence causes a retransmission") {
  Server s;
  Client c(s.port);
  std::vector<std::uint8_t> buf;
  c.send_to_server(rrq("file.bin"));
  REQUIRE(c.receive(3000, buf));
  c.send_to_tid(encode(Ack{1}));
  c.send_to_tid(encode(Ack{1}));
  c.send_to_tid(encode(Ack{1}));
  auto p = c.receive(3000, buf);
  REQUIRE(p);
  CHECK(std::get<Data>(*p).block == 2);
  CHECK_FALSE(c.receive(100, buf));  // the duplicates triggered nothing
  auto again = c.receive(3000, buf);  // the retransmission after the timeout
  REQUIRE(again);
  CHECK(std::get<Data>(*again).block == 2);
  c.send_to_tid(encode(ErrorPacket{ErrorCode::not_defined, "test done"}));
  CHECK(s.logs("client sent error 0 'test done'"));
}

TEST_CASE("options: OACK, windowsize sends a window, partial ACK rewinds, file arrives intact") {
  Server s;
  Client c(s.port);
  std::vector<std::uint8_t> buf;
  c.send_to_server(rrq("file.bin", {{"blksize", "100"}, {"windowsize", "4"}, {"tsize", "0"}}));
  auto p = c.receive(3000, buf);
  REQUIRE(p);
  REQUIRE(std::holds_alternative<Oack>(*p));
  auto& o = std::get<Oack>(*p).options;
  REQUIRE(o.size() == 3);
  CHECK(o[2] == Option{"tsize", "5000"});
  c.send_to_tid(encode(Ack{0}));
  std::vector<std::uint16_t> blocks;
  for (int i = 0; i < 4; ++i) {
    auto d = c.receive(3000, buf);
    REQUIRE(d);
    blocks.push_back(std::get<Data>(*d).block);
  }
  CHECK(blocks == std::vector<std::uint16_t>{1, 2, 3, 4});
  CHECK_FALSE(c.receive(50, buf));  // window full
  c.send_to_tid(encode(Ack{2}));    // pretend 3 was lost
  blocks.clear();
  std::string got;
  for (int i = 0; i < 4; ++i) {
    auto d = c.receive(3000, buf);
    REQUIRE(d);
    blocks.push_back(std::get<Data>(*d).block);
  }
  CHECK(blocks == std::vector<std::uint16_t>{3, 4, 5, 6});
  // Now take the whole file, ACKing each window's last block.
  std::string expected = t::read_file(s.dir / "root" / "file.bin");
  got = expected.substr(0, 600);
  std::uint16_t last = 6;
  for (;;) {
    c.send_to_tid(encode(Ack{last}));
    bool short_block = false;
    for (int i = 0; i < 4 && !short_block; ++i) {
      auto d = c.receive(3000, buf);
      REQUIRE(d);
      auto& data = std::get<Data>(*d);
      REQUIRE(data.block == last + 1);
      got.append(data.payload.begin(), data.payload.end());
      last = data.block;
      short_block = data.payload.size() < 100;
    }
    if (short_block) break;
  }
  c.send_to_tid(encode(Ack{last}));
  CHECK(got == expected);
  CHECK(s.logs("got 'file.bin' 5000 bytes"));
}
