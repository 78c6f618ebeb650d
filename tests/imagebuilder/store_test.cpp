#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "imagebuilder/manifest_json.h"
#include "imagebuilder/object_codec.h"
#include "imagebuilder/object_store.h"
#include "tests/support/test_support.h"

using namespace ingot::image;
namespace fs = std::filesystem;
using ingot::test::TempDir;

namespace {

Manifest manifest_with(const std::string& name, const std::string& version, const std::vector<std::pair<std::string, PutResult>>& files) {
  Manifest m;
  m.name = name;
  m.version = version;
  Entry root;
  root.path = ".";
  root.type = EntryType::dir;
  root.mode = 0755;
  m.entries.push_back(root);
  for (auto& [path, put] : files) {
    Entry e;
    e.path = path;
    e.type = EntryType::file;
    e.mode = 0644;
    e.size = put.size;
    e.sha256 = put.digest;
    m.entries.push_back(e);
  }
  canonicalise(m);
  return m;
}

}  // namespace

TEST_CASE("objects are stored compressed, named by content hash, and read back verified") {
  TempDir dir;
  auto store = ObjectStore::open(dir.path() / "store");
  REQUIRE(store);
  std::string content(200000, 'x');
  auto put = store->put_bytes(content);
  REQUIRE(put);
  CHECK(put->added);
  CHECK(put->digest == sha256(content));
  CHECK(put->size == content.size());
  CHECK(put->stored_size < content.size() / 10);
  CHECK(fs::file_size(store->object_path(put->digest)) == put->stored_size);
  auto back = store->read_object_bytes(put->digest, content.size());
  REQUIRE(back);
  CHECK(*back == content);
  // The wrong expected size is refused even though the hash is right.
  CHECK_FALSE(store->read_object_bytes(put->digest, content.size() - 1));
  auto empty = store->put_bytes("");
  REQUIRE(empty);
  CHECK(store->read_object_bytes(empty->digest, 0).value().empty());
}

TEST_CASE("identical content is stored once across images and versions") {
  TempDir dir;
  auto store = ObjectStore::open(dir.path()).value();
  ingot::test::write_file(dir / "a", "same bytes");
  ingot::test::write_file(dir / "b", "same bytes");
  auto a = store.put_file(dir / "a").value();
  auto b = store.put_file(dir / "b").value();
  CHECK(a.added);
  CHECK_FALSE(b.added);
  CHECK(b.stored_size == 0);
  CHECK(a.digest == b.digest);
  CHECK(store.list_objects().value().size() == 1);
}

TEST_CASE("a corrupt object is refused on read: flipped byte, truncation, trailing junk, missing") {
  TempDir dir;
  auto store = ObjectStore::open(dir.path()).value();
  std::string content;
  for (int i = 0; i < 5000; ++i) content += "line " + std::to_string(i) + "\n";
  auto put = store.put_bytes(content).value();
  auto path = store.object_path(put.digest);
  std::string good = ingot::test::read_file(path);
  fs::permissions(path, fs::perms::owner_write, fs::perm_options::add);

  for (std::size_t pos : {std::size_t(0), good.size() / 2, good.size() - 1}) {
    std::string bad = good;
    bad[pos] ^= 0x01;
    ingot::test::write_file(path, bad);
    CHECK_FALSE_MESSAGE(store.verify_object(put.digest, content.size()), "flip at " << pos);
  }
  ingot::test::write_file(path, good.substr(0, good.size() - 3));
  CHECK_FALSE(store.verify_object(put.digest, content.size()));
  ingot::test::write_file(path, good + "junk");
  auto r = store.verify_object(put.digest, content.size());
  REQUIRE_FALSE(r);
  CHECK(r.error().message().find("trailing") != std::string::npos);
  // A valid frame of other content under this name: the hash check catches it.
  ingot::test::write_file(path, compress_object(content + "!"));
  CHECK_FALSE(store.verify_object(put.digest, content.size() + 1));
  fs::remove(path);
  CHECK_FALSE(store.verify_object(put.digest, content.size()));
  ingot::test::write_file(path, good);
  CHECK(store.verify_object(put.digest, content.size()));
}

TEST_CASE("decoder refuses output beyond the promised size (a zstd bomb)") {
  std::string big(1 << 20, '\0');
  auto z = compress_object(big);
  CHECK(z.size() < 1000);
  auto r = decompress_object(z, sha256(big), 4096);
  REQUIRE_FALSE(r);
  CHECK(r.error().message().find("more than") != std::string::npos);
}

TEST_CASE("images are immutable, listed in version order, and removable") {
  TempDir dir;
  auto store = ObjectStore::open(dir.path()).value();
  auto put = store.put_bytes("hello").value();
  for (std::string v : {"1.10", "1.9", "2"}) {
    auto m = manifest_with("tiny", v, {{"hello", put}});
    REQUIRE(store.put_image({"tiny", v}, manifest_to_json(m), "sig\n"));
  }
  auto again = store.put_image({"tiny", "2"}, "x", "y");
  REQUIRE_FALSE(again);
  CHECK(again.error().message().find("immutable") != std::string::npos);
  auto list = store.list_images().value();
  REQUIRE(list.size() == 3);
  CHECK(list[0].version == "1.9");
  CHECK(list[2].version == "2");
  CHECK(store.previous_version("tiny", "2").value()->version == "1.10");
  CHECK_FALSE(store.previous_version("tiny", "1.9").value());
  CHECK(store.load_manifest({"tiny", "1.9"}).value().version == "1.9");
  CHECK_FALSE(store.load_manifest({"tiny", "3"}));
  CHECK(store.remove_image({"tiny", "1.9"}));
  CHECK(store.list_images().value().size() == 2);
  CHECK_FALSE(store.put_image({"../x", "1"}, "x", "y"));
}

TEST_CASE("gc removes only objects no manifest references, and refuses on a broken manifest") {
  TempDir dir;
  auto store = ObjectStore::open(dir.path()).value();
  auto shared = store.put_bytes("in both").value();
  auto only1 = store.put_bytes("only in v1").value();
  auto only2 = store.put_bytes("only in v2").value();
  auto orphan = store.put_bytes("nobody").value();
  REQUIRE(store.put_image({"r", "1"}, manifest_to_json(manifest_with("r", "1", {{"a", shared}, {"b", only1}})), "s"));
  REQUIRE(store.put_image({"r", "2"}, manifest_to_json(manifest_with("r", "2", {{"a", shared}, {"c", only2}})), "s"));

  auto dry = store.gc(true).value();
  CHECK(dry.objects_removed == 1);
  CHECK(store.has_object(orphan.digest));

  auto rep = store.gc(false).value();
  CHECK(rep.objects_removed == 1);
  CHECK(rep.objects_kept == 3);
  CHECK_FALSE(store.has_object(orphan.digest));
  REQUIRE(store.remove_image({"r", "1"}));
  rep = store.gc(false).value();
  CHECK(rep.objects_removed == 1);
  CHECK_FALSE(store.has_object(only1.digest));
  CHECK(store.has_object(shared.digest));
  CHECK(store.has_object(only2.digest));

  // A manifest gc cannot read must stop it before anything is deleted.
  auto orphan2 = store.put_bytes("nobody 2").value();
  ingot::test::write_file(store.image_dir({"r", "2"}) / kManifestFile, "{garbage");
  auto broken = store.gc(false);
  REQUIRE_FALSE(broken);
  CHECK(broken.error().message().find("nothing removed") != std::string::npos);
  CHECK(store.has_object(orphan2.digest));
}
