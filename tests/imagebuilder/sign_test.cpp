#include <doctest/doctest.h>

#include <filesystem>
#include <sys/stat.h>

#include "imagebuilder/image_verify.h"
#include "imagebuilder/manifest_json.h"
#include "imagebuilder/signing.h"
#include "tests/support/test_support.h"

using namespace ingot::image;
namespace fs = std::filesystem;
using ingot::test::TempDir;

TEST_CASE("key files: generated once, private key 0600, loadable, not overwritten by accident") {
  TempDir dir;
  auto fp = generate_key_files(dir / "keys", false);
  REQUIRE_MESSAGE(fp, fp.error().message());
  struct stat st {};
  REQUIRE(::stat((dir / "keys" / kPrivateKeyFile).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto key = SigningKey::load(dir / "keys" / kPrivateKeyFile);
  REQUIRE(key);
  auto pub = VerifyKey::load(dir / "keys" / kPublicKeyFile);
  REQUIRE(pub);
  CHECK(pub->fingerprint() == *fp);
  CHECK(key->public_key().fingerprint() == *fp);
  auto again = generate_key_files(dir / "keys", false);
  REQUIRE_FALSE(again);
  CHECK(again.error().message().find("refusing") != std::string::npos);
  CHECK(generate_key_files(dir / "keys", true));
  CHECK_FALSE(SigningKey::load(dir / "keys" / kPublicKeyFile));  // a public key is not a private key
  ingot::test::write_file(dir / "junk.pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
  CHECK_FALSE(VerifyKey::load(dir / "junk.pem"));
}

TEST_CASE("signatures: valid, tampered message, tampered signature, other key") {
  auto key = SigningKey::generate().value();
  auto other = SigningKey::generate().value();
  std::string msg = "{\"format\":1}\n";
  auto sig = key.sign(msg).value();
  CHECK(key.public_key().verify(msg, sig));
  CHECK_FALSE(key.public_key().verify(msg + " ", sig));
  std::string bad = sig;
  auto at = bad.find("\"signature\":\"") + 14;
  bad[at] = bad[at] == 'A' ? 'B' : 'A';
  CHECK_FALSE(key.public_key().verify(msg, bad));
  auto wrong = other.public_key().verify(msg, sig);
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().message().find("not the trusted key") != std::string::npos);
  CHECK_FALSE(key.public_key().verify(msg, "not json"));
  CHECK_FALSE(key.public_key().verify(msg, ""));
}

namespace {

struct SignedImage {
  TempDir dir;
  ObjectStore store = ObjectStore::open(dir.path() / "store").value();
  SigningKey key = SigningKey::generate().value();
  ImageRef ref{"tiny", "1"};
  Manifest m;

  SignedImage() {
    m.name = "tiny";
    m.version = "1";
    Entry root;
    root.path = ".";
    root.type = EntryType::dir;
    m.entries.push_back(root);
    for (int i = 0; i < 3; ++i) {
      std::string content = "file " + std::to_string(i) + std::string(1000 * i, 'z');
      auto put = store.put_bytes(content).value();
      Entry e;
      e.path = "f" + std::to_string(i);
      e.size = put.size;
      e.sha256 = put.digest;
      m.entries.push_back(e);
    }
    auto text = manifest_to_json(m);
    REQUIRE(store.put_image(ref, text, key.sign(text).value()));
  }
  VerifyReport verify() { return verify_image(store, ref, key.public_key()); }
};

void make_writable(const fs::path& p) { fs::permissions(p, fs::perms::owner_write, fs::perm_options::add); }

}  // namespace

TEST_CASE("verify passes on an intact image") {
  SignedImage img;
  auto rep = img.verify();
  CHECK(rep.ok());
  CHECK(rep.objects_checked == 3);
}

TEST_CASE("verify catches a flipped byte in any object") {
  SignedImage img;
  for (auto& e : img.m.entries) {
    if (e.type != EntryType::file) continue;
    auto path = img.store.object_path(e.sha256);
    std::string good = ingot::test::read_file(path);
    make_writable(path);
    for (std::size_t pos = 0; pos < good.size(); pos += std::max<std::size_t>(1, good.size() / 7)) {
      std::string bad = good;
      bad[pos] ^= 0x20;
      ingot::test::write_file(path, bad);
      auto rep = img.verify();
      CHECK_FALSE_MESSAGE(rep.ok(), e.path << " byte " << pos);
      CHECK(rep.signature_ok);
      REQUIRE(rep.problems.size() == 1);
      CHECK(rep.problems[0].find(e.path) == 0);
    }
    ingot::test::write_file(path, good);
  }
  CHECK(img.verify().ok());
}

TEST_CASE("verify catches a tampered manifest, a tampered or missing signature") {
  SignedImage img;
  auto mpath = img.store.image_dir(img.ref) / kManifestFile;
  auto spath = img.store.image_dir(img.ref) / kSignatureFile;
  std::string manifest = ingot::test::read_file(mpath), sig = ingot::test::read_file(spath);

  // A change that is still a valid manifest (mode 0644 -> 4755): only the signature can tell.
  std::string tampered = manifest;
  auto at = tampered.find("\"mode\":\"0000\"");
  REQUIRE(at != std::string::npos);
  tampered.replace(at, 13, "\"mode\":\"4755\"");
  REQUIRE(parse_manifest(tampered));
  ingot::test::write_file(mpath, tampered);
  auto rep = img.verify();
  CHECK_FALSE(rep.ok());
  CHECK_FALSE(rep.signature_ok);
  ingot::test::write_file(mpath, manifest);

  std::string bad_sig = sig;
  bad_sig[bad_sig.find("\"signature\":\"") + 20] ^= 0x01;
  ingot::test::write_file(spath, bad_sig);
  CHECK_FALSE(img.verify().signature_ok);

  fs::remove(spath);
  rep = img.verify();
  CHECK_FALSE(rep.signature_ok);
  CHECK(rep.problems.at(0).find("no signature") != std::string::npos);
  CHECK_FALSE(load_verified_manifest(img.store, img.ref, img.key.public_key()));
  ingot::test::write_file(spath, sig);
  CHECK(img.verify().ok());
  auto m = load_verified_manifest(img.store, img.ref, img.key.public_key());
  REQUIRE(m);
  CHECK(*m == img.m);
  ingot::test::write_file(mpath, tampered);
  CHECK_FALSE(load_verified_manifest(img.store, img.ref, img.key.public_key()));
}
