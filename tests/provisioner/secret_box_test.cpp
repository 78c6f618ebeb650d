#include <doctest/doctest.h>

#include <sys/stat.h>

#include "provisioner/inventory/secret_box.h"
#include "tests/support/test_support.h"

using ingot::inventory::SecretBox;

TEST_CASE("sealed secrets open with their key only, and tampering is refused") {
  ingot::test::TempDir dir;
  auto box = SecretBox::open_or_create(dir / "secret.key");
  REQUIRE(box);
  struct stat st {};
  REQUIRE(::stat((dir / "secret.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  auto a = box->seal("admin-password");
  auto b = box->seal("admin-password");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(SecretBox::is_sealed(*a));
  CHECK(*a != *b);  // a fresh nonce each time
  CHECK(a->find("admin-password") == std::string::npos);
  CHECK(*box->open(*a) == "admin-password");

  auto again = SecretBox::open_or_create(dir / "secret.key");  // the same key, read back
  REQUIRE(again);
  CHECK(*again->open(*b) == "admin-password");

  ingot::test::TempDir other;
  auto foreign = SecretBox::open_or_create(other / "secret.key");
  REQUIRE(foreign);
  CHECK_FALSE(foreign->open(*a));

  std::string tampered = *a;
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == '0' ? '1' : '0';
  CHECK_FALSE(box->open(tampered));
  CHECK_FALSE(box->open("v1:zz"));
  CHECK_FALSE(box->open("plain text"));
  CHECK_FALSE(box->open("v1:" + std::string(8, '0')));
}
