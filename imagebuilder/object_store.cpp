// ObjectStore: layout, locking and objects. Images and gc are in object_store_images.cpp.
#include "imagebuilder/object_store.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

namespace ingot::image {
namespace {

namespace fs = std::filesystem;

// Read size for hashing and compressing: large enough to amortise syscalls, small on the stack.
constexpr std::size_t kChunk = 1 << 20;

Result<std::uint64_t> for_each_chunk(int fd, const fs::path& name, const std::function<Result<void>(std::span<const std::uint8_t>)>& fn) {
  std::vector<std::uint8_t> buf(kChunk);
  std::uint64_t total = 0;
  if (::lseek(fd, 0, SEEK_SET) < 0) return errno_error("cannot seek", name);
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("cannot read", name);
    if (n == 0) return total;
    total += static_cast<std::uint64_t>(n);
    if (auto r = fn({buf.data(), static_cast<std::size_t>(n)}); !r) return fail(r.error());
  }
}

Result<StoreLock> take_lock(const fs::path& root, int op) {
  auto path = root / "lock";
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd) return errno_error("cannot open store lock", path);
  while (::flock(fd.get(), op) != 0)
    if (errno != EINTR) return errno_error("cannot lock", path);
  return StoreLock(std::move(fd));
}

}  // namespace

Result<ObjectStore> ObjectStore::open(const fs::path& root) {
  std::error_code ec;
  for (const char* sub : {"objects", "images", "tmp"}) {
    fs::create_directories(root / sub, ec);
    if (ec) return fail(ec, "cannot create image store " + (root / sub).string() + ": " + ec.message());
  }
  return ObjectStore(fs::absolute(root));
}

fs::path ObjectStore::object_path(const Digest& d) const {
  auto hex = d.hex();
  return root_ / "objects" / hex.substr(0, 2) / (hex + ".zst");
}

bool ObjectStore::has_object(const Digest& d) const {
  struct stat st {};
  return ::stat(object_path(d).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Result<StoreLock> ObjectStore::lock_shared() const { return take_lock(root_, LOCK_SH); }
Result<StoreLock> ObjectStore::lock_exclusive() const { return take_lock(root_, LOCK_EX); }

Result<UniqueFd> ObjectStore::open_temp(std::string* path_out) const {
  std::string tmpl = (root_ / "tmp" / "obj.XXXXXX").string();
  UniqueFd fd(::mkstemp(tmpl.data()));
  if (!fd) return errno_error("cannot create a temp file in", root_ / "tmp");
  *path_out = tmpl;
  return fd;
}

Result<PutResult> hash_fd(int fd, const fs::path& name) {
  Sha256 hash;
  auto size = for_each_chunk(fd, name, [&](std::span<const std::uint8_t> b) {
    hash.update(b);
    return ok();
  });
  if (!size) return fail(size.error());
  return PutResult{hash.finish(), *size, 0, false};
}

Result<PutResult> ObjectStore::put_fd(int fd, const fs::path& name) const {
  // Pass 1 hashes only: on a rebuild most objects exist already, and hashing is far cheaper
  // than compressing.
  auto hashed = hash_fd(fd, name);
  if (!hashed) return hashed;
  PutResult res = *hashed;
  if (has_object(res.digest)) return res;

  std::string tmp;
  auto out = open_temp(&tmp);
  if (!out) return fail(out.error());
  auto drop = [&](Error e) {
    ::unlink(tmp.c_str());
    return fail(std::move(e));
  };
  // No size hint: a content-size field in the frame header adds bits a flip can change
  // without changing the content, and verify must catch every flipped byte it can.
  ObjectEncoder enc([&](std::span<const std::uint8_t> b) {
    res.stored_size += b.size();
    return write_all(out->get(), b.data(), b.size(), tmp);
  });
  auto size2 = for_each_chunk(fd, name, [&](std::span<const std::uint8_t> b) { return enc.update(b); });
  if (!size2) return drop(size2.error());
  auto digest2 = enc.finish();
  if (!digest2) return drop(digest2.error());
  if (*digest2 != res.digest || *size2 != res.size) return drop(Error{{}, name.string() + " changed while it was being stored"});
  ::fchmod(out->get(), 0444);
  out->reset();
  auto dest = object_path(res.digest);
  if (::rename(tmp.c_str(), dest.c_str()) != 0) {
    std::error_code ec;  // the fan-out directory is made on first use
    fs::create_directories(dest.parent_path(), ec);
    if (::rename(tmp.c_str(), dest.c_str()) != 0) return drop(errno_error("cannot rename object into", dest).error);
  }
  res.added = true;
  return res;
}

Result<PutResult> ObjectStore::put_file(const fs::path& path) const {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return errno_error("cannot open", path);
  return put_fd(fd.get(), path);
}

Result<PutResult> ObjectStore::put_bytes(std::string_view content) const {
  // Through a temp file so that there is one code path (and one set of guarantees).
  std::string tmp;
  auto fd = open_temp(&tmp);
  if (!fd) return fail(fd.error());
  ::unlink(tmp.c_str());
  if (auto r = write_all(fd->get(), content.data(), content.size(), tmp); !r) return fail(r.error());
  return put_fd(fd->get(), "(bytes)");
}

Result<std::uint64_t> ObjectStore::read_object_bounded(const Digest& d, std::uint64_t max_size, const ByteSink& sink) const {
  auto path = object_path(d);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return errno_error("missing object " + d.hex() + ":", path);
  ObjectDecoder dec(sink, max_size);
  auto n = for_each_chunk(fd.get(), path, [&](std::span<const std::uint8_t> b) { return dec.update(b); });
  // The code survives (file_too_large: over max_size), so callers can tell "too big" from "corrupt".
  if (!n) return fail(n.error().code, "object " + d.hex() + ": " + n.error().message());
  if (auto r = dec.finish(d); !r) return fail("object " + d.hex() + ": " + r.error().message());
  return dec.output_size();
}

Result<void> ObjectStore::read_object(const Digest& d, std::uint64_t size, const ByteSink& sink) const {
  auto got = read_object_bounded(d, size, sink);
  if (!got) return fail(got.error());
  if (*got != size)
    return fail("object " + d.hex() + " has " + std::to_string(*got) + " bytes, the manifest says " + std::to_string(size));
  return ok();
}

Result<std::uint64_t> ObjectStore::stored_size(const Digest& d) const {
  struct stat st {};
  auto path = object_path(d);
  if (::stat(path.c_str(), &st) != 0) return errno_error("missing object " + d.hex() + ":", path);
  return static_cast<std::uint64_t>(st.st_size);
}

Result<std::string> ObjectStore::read_object_bytes(const Digest& d, std::uint64_t size) const {
  std::string out;
  auto r = read_object(d, size, [&](std::span<const std::uint8_t> b) {
    out.append(reinterpret_cast<const char*>(b.data()), b.size());
    return ok();
  });
  if (!r) return fail(r.error());
  return out;
}

Result<void> ObjectStore::verify_object(const Digest& d, std::uint64_t size) const {
  return read_object(d, size, [](std::span<const std::uint8_t>) { return ok(); });
}

Result<std::vector<Digest>> ObjectStore::list_objects() const {
  std::vector<Digest> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root_ / "objects", ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    auto name = it->path().filename().string();
    if (!name.ends_with(".zst")) continue;
    if (auto d = parse_digest(name.substr(0, name.size() - 4))) out.push_back(*d);
  }
  if (ec) return fail(ec, "cannot list " + (root_ / "objects").string() + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace ingot::image
