#include <doctest/doctest.h>

#include <array>

#include "common/byte_reader.h"
#include "common/byte_writer.h"
#include "common/cli.h"
#include "common/enum_names.h"
#include "common/result.h"
#include "common/text.h"

using namespace ingot;

TEST_CASE("ByteReader reads big-endian and latches failure past the end") {
  std::array<std::uint8_t, 7> b{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
  ByteReader r(b);
  CHECK(r.u8() == 0x01);
  CHECK(r.u16be() == 0x0203);
  CHECK(r.u32be() == 0x04050607);
  CHECK(r.ok());
  CHECK(r.at_end());
  CHECK(r.u8() == 0);
  CHECK_FALSE(r.ok());
  CHECK(r.remaining() == 0);
}

TEST_CASE("ByteReader cstring is bounded and needs a terminator") {
  const std::uint8_t ok_bytes[] = {'a', 'b', 0, 'c'};
  ByteReader r(ok_bytes);
  CHECK(r.cstring(8) == "ab");
  CHECK(r.remaining() == 1);

  const std::uint8_t long_bytes[] = {'a', 'b', 'c', 'd', 0};
  ByteReader r2(long_bytes);
  CHECK(r2.cstring(3).empty());
  CHECK_FALSE(r2.ok());

  const std::uint8_t unterminated[] = {'a', 'b'};
  ByteReader r3(unterminated);
  r3.cstring(10);
  CHECK_FALSE(r3.ok());
}

TEST_CASE("ByteWriter round-trips through ByteReader") {
  ByteWriter w;
  w.u8(9);
  w.u16be(0xbeef);
  w.u32be(0xdeadc0de);
  w.cstring("pxe");
  auto buf = w.take();
  ByteReader r(buf);
  CHECK(r.u8() == 9);
  CHECK(r.u16be() == 0xbeef);
  CHECK(r.u32be() == 0xdeadc0de);
  CHECK(r.cstring(16) == "pxe");
  CHECK(r.at_end());
}

TEST_CASE("Result carries value or error with context") {
  Result<int> good = 5;
  CHECK(good);
  CHECK(*good == 5);
  Result<int> bad = fail(std::make_error_code(std::errc::no_such_file_or_directory), "roles/compute/spec");
  CHECK_FALSE(bad);
  CHECK(bad.error().message().find("roles/compute/spec") == 0);
  Result<void> v = fail("bad flag");
  CHECK_FALSE(v);
  CHECK(v.error().message() == "bad flag");
  CHECK((v.error().code == std::errc::invalid_argument));
}

TEST_CASE("Flags parse values, booleans and positionals and refuse unknown flags") {
  cli::Args a{"pos1", "--port", "69", "--dry-run", "--root=/srv", "pos2"};
  cli::Flags f(a, {"port", "root"}, {"dry-run"});
  REQUIRE(f.ok());
  CHECK(f.get_or("port", "") == "69");
  CHECK(f.get_or("root", "") == "/srv");
  CHECK(f.has("dry-run"));
  CHECK(f.positional() == cli::Args{"pos1", "pos2"});

  cli::Flags bad(cli::Args{"--prot", "69"}, {"port"});
  CHECK_FALSE(bad.ok());
  CHECK(bad.error() == "unknown flag --prot");
  cli::Flags missing(cli::Args{"--port"}, {"port"});
  CHECK_FALSE(missing.ok());
}

TEST_CASE("trim_blanks drops spaces and tabs at the ends only") {
  CHECK(ingot::trim_blanks(" \t bytes=0-1 \t") == "bytes=0-1");
  CHECK(ingot::trim_blanks("a b") == "a b");
  CHECK(ingot::trim_blanks(" \t ").empty());
  CHECK(ingot::trim_blanks("\r\nx\n") == "\r\nx\n");
}

TEST_CASE("hex_digit_value reads either case and refuses the rest") {
  CHECK(ingot::hex_digit_value('0') == 0);
  CHECK(ingot::hex_digit_value('9') == 9);
  CHECK(ingot::hex_digit_value('a') == 10);
  CHECK(ingot::hex_digit_value('F') == 15);
  CHECK(ingot::hex_digit_value('g') == -1);
  CHECK(ingot::hex_digit_value(':') == -1);
}

namespace {
enum class Colour { red, green, blue };
constexpr ingot::EnumNames<Colour, 2> kColourNames{{{Colour::red, "red"}, {Colour::green, "green"}}};
}  // namespace

TEST_CASE("an enum's names both ways from one table; unknowns are ? and nullopt") {
  CHECK(ingot::enum_name(kColourNames, Colour::green) == "green");
  CHECK(ingot::enum_from_name(kColourNames, "red") == Colour::red);
  CHECK(ingot::enum_name(kColourNames, Colour::blue) == "?");
  CHECK_FALSE(ingot::enum_from_name(kColourNames, "Red").has_value());
}
