// Building the same fixed tree twice gives a byte-identical manifest, whatever the creation
// order, atimes, inode numbers or the builder's umask; the tree's real content always shows.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <filesystem>

#include "imagebuilder/image_publish.h"
#include "imagebuilder/manifest_json.h"
#include "tests/support/test_support.h"

using namespace ingot::image;
namespace fs = std::filesystem;
using ingot::test::TempDir;

namespace {

void set_mtime(const fs::path& p, long sec) {
  struct timespec ts[2] = {{sec, 0}, {sec, 0}};
  REQUIRE(::utimensat(AT_FDCWD, p.c_str(), ts, AT_SYMLINK_NOFOLLOW) == 0);
}

// The same logical tree; `reverse` creates everything in the opposite order.
void make_tree(const fs::path& root, bool reverse) {
  std::vector<std::function<void()>> steps{
      [&] { fs::create_directories(root / "etc/ssh"); },
      [&] { fs::create_directories(root / "usr/bin"); },
      [&] { fs::create_directories(root / "dev"); },
  };
  for (auto& s : steps) s();
  std::vector<std::pair<std::string, std::string>> files{
      {"etc/hostname", "node\n"}, {"etc/ssh/sshd_config", "Port 22\n"}, {"usr/bin/tool", std::string(100000, 't')}, {"usr/bin/b", "b"}};
  if (reverse) std::reverse(files.begin(), files.end());
  for (auto& [p, c] : files) ingot::test::write_file(root / p, c);
  fs::permissions(root / "usr/bin/tool", fs::perms(04755));
  fs::permissions(root / "etc/ssh/sshd_config", fs::perms(0600));
  REQUIRE(::link((root / "usr/bin/tool").c_str(), (root / "usr/bin/tool2").c_str()) == 0);
  fs::create_symlink("../usr/bin/tool", root / "etc/tool-link");
  REQUIRE(::mkfifo((root / "dev/initctl").c_str(), 0600) == 0);
  REQUIRE(::setxattr((root / "etc/hostname").c_str(), "user.ingot", "v\0x", 3, 0) == 0);
  REQUIRE(::lchown((root / "etc/ssh/sshd_config").c_str(), 1234, 5678) == 0);
  // Some mtimes before the clamp (kept), some after (clamped).
  for (auto& e : fs::recursive_directory_iterator(root)) set_mtime(e.path(), 1800000000);
  set_mtime(root / "etc/hostname", 1500000000);
  set_mtime(root, 1800000000);
}

std::string publish(const fs::path& tree, const fs::path& store_dir, const SigningKey& key, const std::string& version = "1") {
  auto store = ObjectStore::open(store_dir).value();
  PublishRequest req;
  req.tree = tree;
  req.ref = {"fixed", version};
  req.keep = {"etc/hostname", "etc/ssh/ssh_host_*"};
  req.source_date = 1700000000;
  auto r = publish_tree(store, key, req);
  REQUIRE_MESSAGE(r, r.error().message());
  return store.read_manifest_text(req.ref).value();
}

}  // namespace

TEST_CASE("the same tree built twice gives byte-identical manifests") {
  TempDir dir;
  make_tree(dir / "a", false);
  make_tree(dir / "b", true);
  auto key = SigningKey::generate().value();
  mode_t old = ::umask(022);
  std::string ma = publish(dir / "a", dir / "store-a", key);
  // Read everything in b (atimes change), then build with another umask into another store.
  for (auto& e : fs::recursive_directory_iterator(dir / "b"))
    if (e.is_regular_file()) (void)ingot::test::read_file(e.path());
  ::umask(077);
  std::string mb = publish(dir / "b", dir / "store-b", key);
  ::umask(old);
  CHECK(ma == mb);

  auto m = parse_manifest(ma).value();
  CHECK(m.created == 1700000000);
  CHECK(m.find("etc/hostname")->mtime == 1500000000);  // older than the clamp: kept
  CHECK(m.find("usr/bin/tool")->mtime == 1700000000);  // newer: clamped
  CHECK(m.find("usr/bin/tool")->mode == 04755);
  CHECK(m.find("usr/bin/tool2")->type == EntryType::hardlink);
  CHECK(m.find("usr/bin/tool2")->target == "usr/bin/tool");
  CHECK(m.find("etc/tool-link")->target == "../usr/bin/tool");
  CHECK(m.find("dev/initctl")->type == EntryType::fifo);
  CHECK(m.find("etc/hostname")->xattrs.at("user.ingot") == std::string("v\0x", 3));
  CHECK(m.find("etc/ssh/sshd_config")->uid == 1234);
  CHECK(m.find("etc/ssh/sshd_config")->gid == 5678);
  CHECK(m.find("etc/ssh/sshd_config")->mode == 0600);
  CHECK(m.keep == std::vector<std::string>{"etc/hostname", "etc/ssh/ssh_host_*"});
}

TEST_CASE("a real change in the tree changes the manifest, and the report diff names it") {
  TempDir dir;
  make_tree(dir / "t", false);
  auto key = SigningKey::generate().value();
  auto store = ObjectStore::open(dir / "store").value();
  std::string m1 = publish(dir / "t", dir / "store", key, "1");
  ingot::test::write_file(dir / "t/etc/hostname", "other\n");
  set_mtime(dir / "t/etc/hostname", 1500000000);
  fs::remove(dir / "t/usr/bin/b");
  ingot::test::write_file(dir / "t/usr/bin/new", "new");
  PublishRequest req;
  req.tree = dir / "t";
  req.ref = {"fixed", "2"};
  req.source_date = 1700000000;
  auto r = publish_tree(store, key, req);
  REQUIRE(r);
  CHECK(r->previous->version == "1");
  CHECK(r->diff.added == std::vector<std::string>{"usr/bin/new"});
  CHECK(r->diff.removed == std::vector<std::string>{"usr/bin/b"});
  bool hostname_changed = false;
  for (auto& c : r->diff.changed) hostname_changed |= c.path == "etc/hostname" && c.what[0] == "content";
  CHECK(hostname_changed);
  // Shared content is stored once: only the two new contents were added.
  CHECK(r->stats.objects_added == 2);
  CHECK(m1 != store.read_manifest_text({"fixed", "2"}).value());
}

TEST_CASE("sockets are skipped and reported; unsafe trees are refused before signing") {
  TempDir dir;
  fs::create_directories(dir / "t/etc");
  ingot::test::write_file(dir / "t/etc/ok", "ok");
  auto key = SigningKey::generate().value();
  auto store = ObjectStore::open(dir / "store").value();
  // A symlink that climbs out of the root must not become a signed image.
  fs::create_symlink("../../../etc/shadow", dir / "t/etc/escape");
  PublishRequest req;
  req.tree = dir / "t";
  req.ref = {"bad", "1"};
  auto r = publish_tree(store, key, req);
  REQUIRE_FALSE(r);
  CHECK(r.error().message().find("leaves the image root") != std::string::npos);
  CHECK_FALSE(store.has_image(req.ref));
}
