// Deltas: the librsync wrapper, the delta store (stored only when smaller, "not worth it"
// remembered, input limits), and fetch_via_delta's fallbacks (wrong base, corrupt, truncated or
// hostile delta): the sink only ever gets the verified content.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <random>

#include "imagebuilder/delta_fetch.h"
#include "imagebuilder/delta_store.h"
#include "imagebuilder/rsync_delta.h"
#include "tests/support/test_support.h"

using namespace ingot::image;
namespace fs = std::filesystem;
using ingot::test::TempDir;
using ingot::test::read_file;
using ingot::test::write_file;

namespace {

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

// A "new version of a binary": most of it the same, some bytes changed, some inserted.
std::string edited(std::string s, unsigned seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < 20; ++i) s[rng() % s.size()] ^= 0x5a;
  s.insert(s.size() / 3, random_bytes(3000, seed + 1));
  s.erase(s.size() / 2, 1500);
  return s;
}

std::span<const std::uint8_t> bytes(const std::string& s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

ByteSink append_to(std::string& out) {
  return [&out](std::span<const std::uint8_t> b) {
    out.append(reinterpret_cast<const char*>(b.data()), b.size());
    return ingot::ok();
  };
}

std::string make_delta(const std::string& base, const std::string& next) {
  std::string delta;
  DeltaEncoder enc(bytes(base), append_to(delta));
  REQUIRE(enc.update(bytes(next)));
  REQUIRE(enc.finish());
  return delta;
}

ingot::Result<std::string> apply_delta(const fs::path& base_file, const std::string& delta, std::uint64_t max) {
  std::string out;
  int fd = ::open(base_file.c_str(), O_RDONLY);
  DeltaPatcher p(fd, fs::file_size(base_file), append_to(out), max);
  auto r = p.update(bytes(delta));
  if (r) r = p.finish();
  ::close(fd);
  if (!r) return ingot::fail(r.error());
  return out;
}

Entry file_entry(const std::string& path, const std::string& content) {
  Entry e;
  e.path = path;
  e.type = EntryType::file;
  e.size = content.size();
  e.sha256 = sha256(content);
  return e;
}

struct Fixture {
  TempDir dir;
  ObjectStore store = *ObjectStore::open(dir / "store");
  std::unique_ptr<ImageSource> src = store_source(store, dir / "none.pub");
  std::string v1 = random_bytes(200000, 1);
  std::string v2 = edited(v1, 2);
  Digest d1 = store.put_bytes(v1)->digest;
  Digest d2 = store.put_bytes(v2)->digest;
  fs::path base = dir / "base";
  Fixture() { write_file(base, v1); }

  ingot::Result<std::string> fetch(const Entry& want, const Digest& base_sha, FetchInfo& info) {
    std::string out;
    auto r = fetch_via_delta(*src, want, base_sha, base, append_to(out), &info);
    if (!r) return ingot::fail(r.error());
    return out;
  }

  // v1 -> v2 must come whole (and right); returns why the delta was not used.
  std::string expect_whole() {
    FetchInfo info;
    auto out = fetch(file_entry("p", v2), d1, info);
    REQUIRE(out);
    CHECK(*out == v2);
    CHECK_FALSE(info.via_delta);
    return info.fallback;
  }
};

}  // namespace

TEST_CASE("a librsync delta rebuilds a changed binary byte for byte, and is small") {
  TempDir dir;
  auto v1 = random_bytes(300000, 7), v2 = edited(v1, 8);
  write_file(dir / "v1", v1);
  auto delta = make_delta(v1, v2);
  CHECK(delta.size() < v2.size() / 10);
  auto out = apply_delta(dir / "v1", delta, v2.size());
  REQUIRE(out);
  CHECK(*out == v2);
  // The other direction works the same way.
  write_file(dir / "v2", v2);
  auto back = apply_delta(dir / "v2", make_delta(v2, v1), v1.size());
  REQUIRE(back);
  CHECK(*back == v1);
}

TEST_CASE("the patcher refuses a delta that copies past its base, or outgrows the manifest's size") {
  TempDir dir;
  auto v1 = random_bytes(50000, 3);
  write_file(dir / "v1", v1);
  auto delta = make_delta(v1, v1 + v1);  // mostly COPY commands
  write_file(dir / "short", v1.substr(0, 1000));
  CHECK_FALSE(apply_delta(dir / "short", delta, 2 * v1.size()));
  auto capped = apply_delta(dir / "v1", delta, v1.size());
  REQUIRE_FALSE(capped);
  CHECK(capped.error().message().find("more than") != std::string::npos);
  CHECK_FALSE(apply_delta(dir / "v1", delta.substr(0, delta.size() / 2), 2 * v1.size()));  // truncated
  CHECK_FALSE(apply_delta(dir / "v1", "garbage, not a delta", 100));
}

TEST_CASE("the store keeps a delta only when it is smaller than the object, and remembers when not") {
  Fixture f;
  auto info = build_delta(f.store, f.d1, f.d2);
  REQUIRE(info);
  CHECK(info->status == DeltaStatus::stored);
  CHECK(info->delta_size < *f.store.stored_size(f.d2) / 10);
  CHECK(fs::exists(delta_path(f.store, f.d1, f.d2)));
  CHECK(lookup_delta(f.store, f.d1, f.d2).status == DeltaStatus::stored);

  auto unrelated = f.store.put_bytes(random_bytes(100000, 99))->digest;
  auto none = build_delta(f.store, f.d1, unrelated);
  REQUIRE(none);
  CHECK(none->status == DeltaStatus::not_worth_it);
  CHECK_FALSE(fs::exists(delta_path(f.store, f.d1, unrelated)));
  auto again = lookup_delta(f.store, f.d1, unrelated);
  CHECK(again.status == DeltaStatus::not_worth_it);
  CHECK(again.reason.find("not smaller") != std::string::npos);

  auto missing = sha256("not stored");
  auto unknown = build_delta(f.store, f.d1, missing);
  REQUIRE(unknown);
  CHECK(unknown->status == DeltaStatus::unknown_object);
}

TEST_CASE("objects over the input limit get no delta (and the store remembers)") {
  Fixture f;
  std::string big(kMaxDeltaInputBytes + 1, 'z');
  auto d = f.store.put_bytes(big)->digest;
  auto info = build_delta(f.store, d, f.d2);
  REQUIRE(info);
  CHECK(info->status == DeltaStatus::not_worth_it);
  CHECK(info->reason.find("limit") != std::string::npos);
  auto to_big = build_delta(f.store, f.d1, d);
  REQUIRE(to_big);
  CHECK(to_big->status == DeltaStatus::not_worth_it);
}

TEST_CASE("fetch_via_delta uses a stored delta and gives the exact content") {
  Fixture f;
  REQUIRE(build_delta(f.store, f.d1, f.d2));
  FetchInfo info;
  auto out = f.fetch(file_entry("usr/bin/prog", f.v2), f.d1, info);
  REQUIRE(out);
  CHECK(*out == f.v2);
  CHECK(info.via_delta);
  CHECK(info.delta_bytes > 0);
  CHECK(info.wire_bytes == info.delta_bytes);
  CHECK(info.fallback.empty());
}

TEST_CASE("without a delta, or with a base that is not base_sha, the whole object comes") {
  Fixture f;
  CHECK(f.expect_whole().empty());  // nothing built: no delta, nothing to say
  REQUIRE(build_delta(f.store, f.d1, f.d2));
  write_file(f.base, edited(f.v1, 50));  // the node's file drifted
  CHECK(f.expect_whole().find("does not hash") != std::string::npos);
}

TEST_CASE("a corrupt or truncated stored delta falls back to the whole object, never bad content") {
  Fixture f;
  REQUIRE(build_delta(f.store, f.d1, f.d2));
  auto path = delta_path(f.store, f.d1, f.d2);
  auto good = read_file(path);
  fs::permissions(path, fs::perms::owner_write, fs::perm_options::add);
  for (std::size_t at : {std::size_t(20), good.size() / 2, good.size() - 5}) {
    auto bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0xff);
    write_file(path, bad);
    CHECK(f.expect_whole().find("refused") != std::string::npos);
  }
  write_file(path, good.substr(0, good.size() / 2));
  CHECK(f.expect_whole().find("refused") != std::string::npos);
}

TEST_CASE("a delta for the wrong result is refused (the hash is checked, not the delta's word)") {
  Fixture f;
  auto v3 = edited(f.v1, 77);
  auto d3 = f.store.put_bytes(v3)->digest;
  REQUIRE(build_delta(f.store, f.d1, d3));
  // Put the delta for v1 -> v3 where the delta v1 -> v2 belongs.
  fs::create_directories(delta_path(f.store, f.d1, f.d2).parent_path());
  fs::copy_file(delta_path(f.store, f.d1, d3), delta_path(f.store, f.d1, f.d2));
  CHECK(f.expect_whole().find("hashes to") != std::string::npos);
}

TEST_CASE("a result bigger than the in-memory spool is checked first, then written") {
  TempDir dir;
  auto store = *ObjectStore::open(dir / "store");
  auto src = store_source(store, dir / "none.pub");
  auto v1 = random_bytes(kDeltaSpoolBytes + 100000, 11), v2 = edited(v1, 12);
  write_file(dir / "base", v1);
  auto d1 = store.put_bytes(v1)->digest;
  auto d2 = store.put_bytes(v2)->digest;
  REQUIRE(build_delta(store, d1, d2)->status == DeltaStatus::stored);
  std::string out;
  FetchInfo info;
  REQUIRE(fetch_via_delta(*src, file_entry("big", v2), d1, dir / "base", append_to(out), &info));
  CHECK(info.via_delta);
  CHECK(out == v2);
}

TEST_CASE("gc drops deltas whose objects are gone") {
  Fixture f;
  REQUIRE(build_delta(f.store, f.d1, f.d2));
  CHECK(gc_deltas(f.store, {f.d1, f.d2}, false) == 0);
  CHECK(fs::exists(delta_path(f.store, f.d1, f.d2)));
  CHECK(gc_deltas(f.store, {f.d2}, false) == 1);
  CHECK_FALSE(fs::exists(delta_path(f.store, f.d1, f.d2)));
}

TEST_CASE("a delta answer over the size bound is refused before it is used") {
  Fixture f;
  auto path = delta_path(f.store, f.d1, f.d2);
  fs::create_directories(path.parent_path());
  write_file(path, std::string(f.v2.size() + kMaxDeltaOverhead + 1, 'x'));
  CHECK(f.expect_whole().find("unavailable") != std::string::npos);
}
