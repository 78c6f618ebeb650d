// Accept-Encoding parsing for zstd manifests (RFC 9110 §12.5.3) and the encoded cache: the
// frame decodes to the file's exact bytes, and a rewritten file is encoded again, not served stale.
#include <doctest/doctest.h>
#include <zstd.h>

#include "provisioner/server/manifest_encoding.h"
#include "tests/support/test_support.h"

using namespace ingot::server;

TEST_CASE("accepts_zstd reads the coding list and its weights") {
  CHECK(accepts_zstd("zstd"));
  CHECK(accepts_zstd("deflate, gzip, br, zstd"));
  CHECK(accepts_zstd("gzip;q=0.5, ZSTD ;q=1"));
  CHECK(accepts_zstd("zstd;q=0.001"));
  CHECK_FALSE(accepts_zstd(""));
  CHECK_FALSE(accepts_zstd("gzip, br"));
  CHECK_FALSE(accepts_zstd("zstd;q=0"));
  CHECK_FALSE(accepts_zstd("zstd; q=0.000"));
  CHECK_FALSE(accepts_zstd("zstdx, xzstd"));
  CHECK_FALSE(accepts_zstd("*"));  // identity stays the safe answer to a wildcard
}

static std::string decode(const std::string& frame) {
  auto size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  REQUIRE(size != ZSTD_CONTENTSIZE_ERROR);
  REQUIRE(size != ZSTD_CONTENTSIZE_UNKNOWN);
  std::string out(size, '\0');
  auto n = ZSTD_decompress(out.data(), out.size(), frame.data(), frame.size());
  REQUIRE_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

TEST_CASE("zstd_encoded_manifest decodes to the file, and follows a rewrite") {
  ingot::test::TempDir dir;
  auto path = dir.path() / "manifest.json";
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "{\"path\":\"/usr/share/doc/f" + std::to_string(i) + "\"},\n";
  ingot::test::write_file(path, text);
  auto a = zstd_encoded_manifest(path);
  REQUIRE(a);
  CHECK((*a)->size() < text.size() / 4);
  CHECK(decode(**a) == text);
  auto again = zstd_encoded_manifest(path);
  REQUIRE(again);
  CHECK(again->get() == a->get());  // served from the cache
  ingot::test::write_file(path, text + "{}\n");
  auto b = zstd_encoded_manifest(path);
  REQUIRE(b);
  CHECK(decode(**b) == text + "{}\n");
  CHECK_FALSE(zstd_encoded_manifest(dir.path() / "absent.json"));
}
