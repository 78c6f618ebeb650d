// Hostile and malformed manifests: each is refused with an error that names the rule.
#include <doctest/doctest.h>

#include <string>

#include "imagebuilder/manifest_json.h"

using namespace ingot::image;

namespace {

const std::string kHash = std::string(64, 'a');
const std::string kRoot = R"({"path":".","type":"dir","mode":"0755","uid":0,"gid":0,"mtime":0})";

std::string doc(const std::string& entries, const std::string& keep = "[]") {
  return R"({"format":1,"name":"evil","version":"1","created":0,"keep":)" + keep + R"(,"entries":[)" + kRoot +
         (entries.empty() ? "" : "," + entries) + "]}";
}

std::string dir(const std::string& path) {
  return R"({"path":")" + path + R"(","type":"dir","mode":"0755","uid":0,"gid":0,"mtime":0})";
}
std::string file(const std::string& path, const std::string& size = "1", const std::string& hash = kHash) {
  return R"({"path":")" + path + R"(","type":"file","mode":"0644","uid":0,"gid":0,"size":)" + size +
         R"(,"mtime":0,"sha256":")" + hash + R"("})";
}
std::string slink(const std::string& path, const std::string& target) {
  return R"({"path":")" + path + R"(","type":"symlink","uid":0,"gid":0,"mtime":0,"target":")" + target + R"("})";
}
std::string device(const std::string& path) {
  return R"({"path":")" + path + R"(","type":"block","mode":"0666","uid":0,"gid":0,"mtime":0,"major":8,"minor":0})";
}

// Parses, expects refusal, and checks the message says why.
void refused(const std::string& text, const std::string& why, const ManifestPolicy& policy = {}) {
  auto m = parse_manifest(text, policy);
  REQUIRE_MESSAGE(!m, "accepted: " << text.substr(0, 300));
  CHECK_MESSAGE(m.error().message().find(why) != std::string::npos,
                "error '" << m.error().message() << "' does not mention '" << why << "'");
}

}  // namespace

TEST_CASE("a well-formed manifest from the helpers is accepted (so refusals below are meaningful)") {
  auto m = parse_manifest(doc(dir("dev") + "," + device("dev/sda") + "," + dir("etc") + "," + file("etc/a") + "," +
                              slink("etc/l", "../usr/x")));
  REQUIRE_MESSAGE(m, m.error().message());
  CHECK(m->entries.size() == 6);
}

TEST_CASE("paths must be relative and normalised") {
  refused(doc(dir("etc") + "," + file("etc/../../x")), "'..' component");
  refused(doc(file("/etc/passwd")), "is absolute");
  refused(doc(dir("etc") + "," + file("etc//x")), "empty component");
  refused(doc(dir("etc") + "," + file("etc/./x")), "'.' component");
  refused(doc(dir("etc/")), "ends with '/'");
  refused(doc(file("a\\u0001b")), "control character");
  refused(doc(file(std::string(300, 'x'))), "longer than 255");
  refused(doc(file("")), "path is empty");
}

TEST_CASE("entries must be sorted, unique, rooted and under directories") {
  refused(doc(file("a") + "," + file("a")), "duplicate path");
  refused(doc(file("b") + "," + file("a")), "out of order");
  refused(doc(file("etc/passwd")), "no parent directory");
  refused(doc(file("etc") + "," + file("etc/passwd")), "no parent directory");
  refused(doc(slink("etc", "/tmp") + "," + file("etc/passwd")), "no parent directory");
  refused(R"({"format":1,"name":"evil","version":"1","created":0,"keep":[],"entries":[]})", "root directory entry");
}

TEST_CASE("symlinks may not climb out of the image root") {
  refused(doc(dir("etc") + "," + slink("etc/x", "../../etc/shadow")), "leaves the image root");
  refused(doc(slink("x", "/../../etc/shadow")), "leaves the image root");
  refused(doc(slink("x", "..")), "leaves the image root");
  ManifestPolicy no_abs;
  no_abs.allow_absolute_symlinks = false;
  refused(doc(slink("x", "/usr/bin")), "absolute symlink", no_abs);
  CHECK(parse_manifest(doc(slink("x", "/usr/bin"))));
  CHECK(parse_manifest(doc(dir("a") + "," + slink("a/x", "../b/../c"))));
}

TEST_CASE("device nodes only where allowed") {
  refused(doc(dir("etc") + "," + device("etc/disk")), "outside dev/");
  ManifestPolicy no_dev;
  no_dev.allow_devices = false;
  refused(doc(dir("dev") + "," + device("dev/sda")), "may not contain device nodes", no_dev);
}

TEST_CASE("sizes, hashes, types and fields are checked") {
  refused(doc(file("big", "17179869185")), "above the limit");
  refused(doc(file("big", "99999999999999999999999")), "non-negative integer");
  refused(doc(file("neg", "-1")), "non-negative integer");
  refused(doc(file("f", "1.5")), "non-negative integer");
  refused(doc(file("h", "1", "abc")), "64 lowercase hex");
  refused(doc(file("h", "1", std::string(64, 'A'))), "64 lowercase hex");
  refused(doc(file("h", "1", std::string(64, 'g'))), "64 lowercase hex");
  refused(doc(R"({"path":"s","type":"socket","mode":"0755","uid":0,"gid":0,"mtime":0})"), "unknown type 'socket'");
  refused(doc(R"({"path":"d","type":"dir","mode":"0755","uid":0,"gid":0,"mtime":0,"size":3})"), "unknown or inapplicable field 'size'");
  refused(doc(R"({"path":"d","type":"dir","mode":"755","uid":0,"gid":0,"mtime":0})"), "4 octal digits");
  refused(doc(R"({"path":"d","type":"dir","mode":"0755","uid":4294967296,"gid":0,"mtime":0})"), "'uid'");
  refused(doc(R"({"path":"d","type":"dir","mode":"0755","gid":0,"mtime":0})"), "missing field 'uid'");
  refused(doc(R"({"path":"h","type":"hardlink","target":"nothere"})"), "not an earlier file entry");
  refused(doc(dir("d") + R"(,{"path":"h","type":"hardlink","target":"d"})"), "not an earlier file entry");
  refused(doc(R"({"path":"x","type":"file","mode":"0644","uid":0,"gid":0,"size":0,"mtime":0,"sha256":")" + kHash +
              R"(","xattrs":{"evil.ns":"AA=="}})"),
          "outside the security/system/trusted/user");
  refused(doc(R"({"path":"x","type":"file","mode":"0644","uid":0,"gid":0,"size":0,"mtime":0,"sha256":")" + kHash +
              R"(","xattrs":{"user.x":"!!"}})"),
          "base64");
}

TEST_CASE("document-level problems") {
  refused("not json", "not valid JSON");
  refused("[]", "must be a JSON object");
  refused(std::string(100, '[') + std::string(100, ']'), "nests deeper");
  refused(R"({"format":2,"name":"x","version":"1","created":0,"keep":[],"entries":[]})", "format 2 is not supported");
  refused(R"({"format":1,"name":"../x","version":"1","created":0,"keep":[],"entries":[]})", "role name");
  refused(doc("", R"(["/etc/hostname"])"), "keep[0]");
  refused(doc("", R"(["b","a"])"), "not sorted");
  refused(doc("") .substr(0, 60), "not valid JSON");
  std::string extra = doc("");
  extra.insert(1, R"("signed":true,)");
  refused(extra, "unknown or inapplicable field 'signed'");
}
