#include <doctest/doctest.h>

#include <algorithm>

#include "imagebuilder/base64.h"
#include "imagebuilder/image_ref.h"
#include "imagebuilder/manifest_json.h"
#include "tests/imagebuilder/manifest_entries.h"

using namespace ingot::image;
using ingot::image::test::dir;
using ingot::image::test::file;

namespace {

Manifest sample() {
  Manifest m;
  m.name = "tiny";
  m.version = "1.0";
  m.created = 1700000000;
  m.keep = {"etc/hostname", "etc/ssh/ssh_host_*"};
  m.entries.push_back(dir("."));
  m.entries.push_back(dir("bin"));
  Entry busybox = file("bin/busybox", "busybox!");
  busybox.mode = 04755;
  busybox.xattrs["security.capability"] = std::string("\x01\x00\x00\x02\xff", 5);
  m.entries.push_back(busybox);
  Entry sh;
  sh.path = "bin/sh";
  sh.type = EntryType::hardlink;
  sh.target = "bin/busybox";
  m.entries.push_back(sh);
  m.entries.push_back(dir("dev"));
  Entry null = dir("dev/null", 0666);
  null.type = EntryType::char_device;
  null.major = 1;
  null.minor = 3;
  m.entries.push_back(null);
  m.entries.push_back(dir("etc"));
  Entry lt;
  lt.path = "etc/localtime";
  lt.type = EntryType::symlink;
  lt.mode = 0777;
  lt.target = "/usr/share/zoneinfo/UTC";
  lt.mtime = 1;
  m.entries.push_back(lt);
  Entry fifo = dir("etc/pipe \"quoted\"\\", 0600);
  fifo.type = EntryType::fifo;
  fifo.uid = 1000;
  fifo.gid = 4294967295u;
  m.entries.push_back(fifo);
  m.entries.push_back(file("etc/ünïcødé", ""));
  return m;
}

}  // namespace

TEST_CASE("canonical JSON round-trips to the same value and the same bytes") {
  Manifest m = sample();
  canonicalise(m);
  REQUIRE(validate_manifest(m));
  std::string text = manifest_to_json(m);
  auto parsed = parse_manifest(text);
  REQUIRE_MESSAGE(parsed, parsed.error().message());
  CHECK(*parsed == m);
  CHECK(manifest_to_json(*parsed) == text);
  // One entry per line, fixed field order: diffable and stable.
  CHECK(text.find("{\"path\":\"bin/sh\",\"type\":\"hardlink\",\"target\":\"bin/busybox\"}") != std::string::npos);
  CHECK(text.find("\"mode\":\"4755\"") != std::string::npos);
  CHECK(text.find("\"xattrs\":{\"security.capability\":\"AQAAAv8=\"}") != std::string::npos);
}

TEST_CASE("canonicalise sorts entries root first, then bytewise, and dedupes keep patterns") {
  Manifest m = sample();
  std::reverse(m.entries.begin(), m.entries.end());
  m.keep = {"b", "a", "b"};
  canonicalise(m);
  CHECK(m.entries.front().path == ".");
  CHECK(m.keep == std::vector<std::string>{"a", "b"});
  for (std::size_t i = 1; i < m.entries.size(); ++i) CHECK(path_less(m.entries[i - 1].path, m.entries[i].path));
  CHECK(path_less(".", "-dash"));
  CHECK(path_less("a", "a/b"));
  CHECK(path_less("a-b", "a/b"));
  CHECK(m.find("bin/sh") != nullptr);
  CHECK(m.find("bin/nope") == nullptr);
  CHECK(m.resolve(*m.find("bin/sh"))->path == "bin/busybox");
}

TEST_CASE("image refs and versions") {
  auto r = parse_image_ref("compute@2026.11-1");
  REQUIRE(r);
  CHECK(r->role == "compute");
  CHECK(r->version == "2026.11-1");
  CHECK_FALSE(parse_image_ref("compute"));
  CHECK_FALSE(parse_image_ref("../x@1"));
  CHECK_FALSE(parse_image_ref("compute@../1"));
  CHECK_FALSE(parse_image_ref("Compute@1"));
  CHECK_FALSE(parse_image_ref("compute@1/2"));
  CHECK(version_less("1.9", "1.10"));
  CHECK(version_less("1", "1.1"));
  CHECK_FALSE(version_less("2", "10") == false);
  CHECK_FALSE(version_less("1.0", "1.0"));
}

TEST_CASE("base64 is strict") {
  for (std::string s : {std::string(), std::string("a"), std::string("ab"), std::string("abc"), std::string("\0\xff\x10", 3)}) {
    auto d = base64_decode(base64_encode(s));
    REQUIRE(d);
    CHECK(*d == s);
  }
  CHECK_FALSE(base64_decode("abc"));
  CHECK_FALSE(base64_decode("ab=c"));
  CHECK_FALSE(base64_decode("YR=="));  // non-zero padding bits: a second spelling of "a"
  CHECK_FALSE(base64_decode("Y!=="));
}
