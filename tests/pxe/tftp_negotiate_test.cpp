// Option negotiation (RFC 2347/2348/2349/7440), the sender window (lock-step, windows,
// rewind, duplicate ACKs, 16-bit wrap) and the root that refuses paths leaving it.
#include <ostream>  // doctest prints std::error_code through it

#include <doctest/doctest.h>

#include <filesystem>
#include <unistd.h>

#include "pxe/tftp_error.h"
#include "pxe/tftp_options.h"
#include "pxe/tftp_root.h"
#include "pxe/tftp_window.h"
#include "tests/support/test_support.h"

using namespace ingot::pxe::tftp;

TEST_CASE("no options: no OACK, RFC 1350 defaults") {
  auto n = negotiate({}, 1000);
  CHECK(n.oack.empty());
  CHECK(n.use == TransferOptions{});
}

TEST_CASE("valid options are echoed; tsize answers the file size") {
  auto n = negotiate({{"BlkSize", "1468"}, {"tsize", "0"}, {"timeout", "3"}, {"windowsize", "16"}}, 123456);
  CHECK(n.use.blksize == 1468);
  CHECK(n.use.windowsize == 16);
  CHECK(n.use.timeout_seconds == 3);
  REQUIRE(n.oack.size() == 4);
  CHECK(n.oack[0] == Option{"BlkSize", "1468"});
  CHECK(n.oack[1] == Option{"tsize", "123456"});
  CHECK(n.oack[2] == Option{"timeout", "3"});
  CHECK(n.oack[3] == Option{"windowsize", "16"});
}

TEST_CASE("too-large values are answered with the server's largest") {
  auto n = negotiate({{"blksize", "70000"}, {"windowsize", "65535"}}, 1);
  CHECK(n.use.blksize == kMaxBlksize);
  CHECK(n.use.windowsize == kMaxWindowsize);
  CHECK(n.oack[0].value == std::to_string(kMaxBlksize));
}

TEST_CASE("invalid and unknown options are left out, as if never asked") {
  auto n = negotiate({{"blksize", "7"},
                      {"windowsize", "0"},
                      {"timeout", "256"},
                      {"tsize", "x"},
                      {"multicast", ""},
                      {"blksize2", "99999999999999999999999"}},
                     10);
  CHECK(n.oack.empty());
  CHECK(n.use == TransferOptions{});
  CHECK(negotiate({{"blksize", "-5"}}, 1).oack.empty());
  CHECK(negotiate({{"blksize", "99999999999999999999"}}, 1).oack.empty());
}

TEST_CASE("lock-step window: one block at a time, duplicate ACK ignored") {
  SendWindow w(1024, 512, 1);  // blocks 1, 2 and an empty 3
  CHECK(w.last_block() == 3);
  CHECK(w.next_to_send() == 1);
  w.mark_sent();
  CHECK(w.next_to_send() == 0);
  CHECK(w.on_ack(0) == SendWindow::Ack::stale);  // ACK of the OACK phase again
  CHECK(w.on_ack(1) == SendWindow::Ack::progress);
  CHECK(w.next_to_send() == 2);
  w.mark_sent();
  CHECK(w.on_ack(1) == SendWindow::Ack::stale);  // no Sorcerer's Apprentice
  CHECK(w.next_to_send() == 0);
  CHECK(w.on_ack(5) == SendWindow::Ack::stale);  // never sent
  CHECK(w.on_ack(2) == SendWindow::Ack::progress);
  w.mark_sent();
  CHECK(w.on_ack(3) == SendWindow::Ack::complete);
}

TEST_CASE("windowsize 4: full window, partial ACK rewinds, timeout rewinds") {
  SendWindow w(100 * 10, 10, 4);  // 101 blocks
  for (int i = 1; i <= 4; ++i) {
    CHECK(w.next_to_send() == std::uint64_t(i));
    w.mark_sent();
  }
  CHECK(w.next_to_send() == 0);
  CHECK(w.on_ack(2) == SendWindow::Ack::progress);  // blocks 3,4 lost
  CHECK(w.next_to_send() == 3);
  for (int i = 3; i <= 6; ++i) w.mark_sent();
  CHECK(w.next_to_send() == 0);
  w.rewind();
  CHECK(w.next_to_send() == 3);
}

TEST_CASE("block numbers wrap past 65535") {
  SendWindow w(70000ull * 8, 8, 2);
  for (std::uint64_t b = 1; b <= 65536; ++b) {
    REQUIRE(w.next_to_send() == b);
    w.mark_sent();
    REQUIRE(w.on_ack(wire_block(b)) == SendWindow::Ack::progress);
  }
  CHECK(w.acked() == 65536);
  CHECK(wire_block(w.next_to_send()) == 1);
}

TEST_CASE("root refuses absolute, '..' and escaping symlinks; serves files beneath") {
  ingot::test::TempDir dir;
  auto root_dir = dir / "root";
  std::filesystem::create_directories(root_dir / "sub");
  ingot::test::write_file(root_dir / "sub" / "f.bin", "abc");
  ingot::test::write_file(dir / "secret", "x");
  std::filesystem::create_symlink("../secret", root_dir / "out");
  std::filesystem::create_symlink("/etc/passwd", root_dir / "abs");
  std::filesystem::create_symlink("sub/f.bin", root_dir / "in");
  auto root = Root::open(root_dir);
  REQUIRE(root);
  auto f = root->open_file("sub/f.bin");
  REQUIRE(f);
  CHECK(f->size() == 3);
  CHECK(root->open_file("in").has_value());
  CHECK(root->open_file("/etc/passwd").error().code == Errc::path_refused);
  CHECK(root->open_file("../secret").error().code == Errc::path_refused);
  CHECK(root->open_file("sub/../../secret").error().code == Errc::path_refused);
  CHECK(root->open_file("out").error().code == Errc::path_refused);
  CHECK(root->open_file("abs").error().code == Errc::path_refused);
  CHECK(root->open_file("sub").error().code == Errc::not_regular_file);
  CHECK(root->open_file("missing").error().code == std::errc::no_such_file_or_directory);
  CHECK(root->open_file("").error().code == Errc::path_refused);
  CHECK(root->open_file(std::string(300, 'a')).error().code == Errc::path_refused);
  CHECK_FALSE(Root::open(dir / "nope").has_value());
}
