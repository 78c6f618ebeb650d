// Object packs: request lines (strict hex, bounded count, no repeats) and the answer's record
// stream, fed whole and byte by byte; truncated, reordered, oversized and trailing streams are
// refused with a message.
#include <doctest/doctest.h>

#include "imagebuilder/object_codec.h"
#include "imagebuilder/object_pack.h"

using namespace ingot;
using namespace ingot::image;

namespace {

std::span<const std::uint8_t> bytes(const std::string& s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

struct Packed {
  std::vector<Digest> digests;
  std::vector<std::string> stored;
  std::string wire;
};

Packed make_pack(int n) {
  Packed p;
  p.wire = std::string(kPackMagic);
  for (int i = 0; i < n; ++i) {
    std::string content = "file " + std::to_string(i) + std::string(std::size_t(i) * 37, 'x');
    p.digests.push_back(sha256(content));
    p.stored.push_back(compress_object(content));
    p.wire += pack_record_head(p.digests.back(), p.stored.back().size()) + p.stored.back();
  }
  p.wire += pack_end_record();
  return p;
}

// Feeds wire in pieces of `step` bytes; returns the first error, with what arrived in got.
Result<void> read_pack(const std::vector<Digest>& want, const std::string& wire, std::size_t step,
                       std::vector<std::string>* got) {
  PackReader r(want, [&](const Digest& d, std::string&& stored) -> Result<void> {
    auto plain = decompress_object(stored, d, 1 << 20);
    if (!plain) return fail(plain.error());
    got->push_back(std::move(stored));
    return ok();
  });
  for (std::size_t at = 0; at < wire.size(); at += step)
    if (auto f = r.feed(bytes(wire.substr(at, step))); !f) return f;
  return r.finish();
}

}  // namespace

TEST_CASE("a pack of N objects reads back byte-exact, whole or a byte at a time") {
  auto p = make_pack(40);
  for (std::size_t step : {p.wire.size(), std::size_t(1), std::size_t(7), std::size_t(4096)}) {
    std::vector<std::string> got;
    auto r = read_pack(p.digests, p.wire, step, &got);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message()));
    CHECK(got == p.stored);
  }
}

TEST_CASE("truncated and hostile pack streams are refused") {
  auto p = make_pack(5);
  std::vector<std::string> got;
  SUBCASE("truncated anywhere before the end record") {
    for (std::size_t cut : {std::size_t(0), std::size_t(3), std::size_t(8), std::size_t(30), p.wire.size() / 2,
                            p.wire.size() - 1}) {
      got.clear();
      auto r = read_pack(p.digests, p.wire.substr(0, cut), 5, &got);
      REQUIRE_FALSE(r);
      CHECK(r.error().message().find("pack:") != std::string::npos);
    }
  }
  SUBCASE("bad magic") {
    auto wire = p.wire;
    wire[0] = 'X';
    auto r = read_pack(p.digests, wire, 64, &got);
    REQUIRE_FALSE(r);
    CHECK(r.error().message().find("bad magic") != std::string::npos);
  }
  SUBCASE("an object not asked for, or out of order") {
    auto want = p.digests;
    std::swap(want[1], want[2]);
    auto r = read_pack(want, p.wire, 64, &got);
    REQUIRE_FALSE(r);
    CHECK(r.error().message().find("was next") != std::string::npos);
    CHECK(got.size() == 1);
  }
  SUBCASE("fewer objects than asked for") {
    auto want = p.digests;
    want.push_back(sha256("never sent"));
    auto r = read_pack(want, p.wire, 64, &got);
    REQUIRE_FALSE(r);
    CHECK(r.error().message().find("ended after 5 of 6") != std::string::npos);
  }
  SUBCASE("more objects than asked for") {
    auto want = p.digests;
    want.pop_back();
    auto r = read_pack(want, p.wire, 64, &got);
    REQUIRE_FALSE(r);
    CHECK(r.error().message().find("more objects than asked") != std::string::npos);
  }
  SUBCASE("a record length past the pack limit is refused before any of it arrives") {
    std::string wire = std::string(kPackMagic) + pack_record_head(p.digests[0], kMaxPackBytes + 1);
    auto r = read_pack(p.digests, wire, wire.size(), &got);
    REQUIRE_FALSE(r);
    CHECK(r.error().message().find("pack limit") != std::string::npos);
  }
  SUBCASE("data after the end record") {
    auto r = read_pack(p.digests, p.wire + "junk", 64, &got);
    REQUIRE_FALSE(r);
    CHECK(r.error().message().find("after the end record") != std::string::npos);
  }
  SUBCASE("an end record with a length") {
    std::string wire = std::string(kPackMagic) + pack_record_head(Digest{}, 5);
    auto r = read_pack(p.digests, wire, 64, &got);
    REQUIRE_FALSE(r);
  }
  SUBCASE("a corrupt object inside a well-framed pack is the object decoder's to refuse") {
    auto wire = p.wire;
    wire[kPackMagic.size() + kPackRecordHeadBytes + 6] ^= 0x55;  // inside object 0's frame
    auto r = read_pack(p.digests, wire, 64, &got);
    REQUIRE_FALSE(r);
    CHECK(got.empty());
  }
}

TEST_CASE("pack requests: strict hex lines, bounded, no repeats") {
  auto p = make_pack(3);
  auto body = encode_pack_request(p.digests);
  auto back = parse_pack_request(body);
  REQUIRE(back);
  CHECK(*back == p.digests);
  CHECK_FALSE(parse_pack_request(""));
  CHECK_FALSE(parse_pack_request("zz\n"));
  CHECK_FALSE(parse_pack_request(p.digests[0].hex().substr(0, 63) + "\n"));
  std::string upper = p.digests[0].hex();
  for (auto& c : upper) c = static_cast<char>(std::toupper(c));
  CHECK_FALSE(parse_pack_request(upper));
  auto rep = parse_pack_request(p.digests[0].hex() + "\n" + p.digests[0].hex() + "\n");
  REQUIRE_FALSE(rep);
  CHECK(rep.error().message().find("repeated") != std::string::npos);
  std::vector<Digest> many;
  for (std::size_t i = 0; i <= kMaxPackObjects; ++i) many.push_back(sha256(std::to_string(i)));
  auto too_many = parse_pack_request(encode_pack_request(many));
  REQUIRE_FALSE(too_many);
  CHECK(too_many.error().message().find("more than") != std::string::npos);
  many.pop_back();
  CHECK(parse_pack_request(encode_pack_request(many)));
}
