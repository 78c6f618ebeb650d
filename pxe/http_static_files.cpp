#include "pxe/http_static_files.h"

#include "common/log.h"
#include "pxe/http_range.h"
#include "pxe/http_validators.h"

namespace ingot::pxe {

std::string_view content_type_for(std::string_view path) {
  struct Type {
    std::string_view ext, type;
  };
  static constexpr Type types[] = {
      {".ipxe", "text/plain; charset=utf-8"}, {".txt", "text/plain; charset=utf-8"},
      {".cfg", "text/plain; charset=utf-8"},  {".json", "application/json"},
      {".html", "text/html; charset=utf-8"},  {".iso", "application/x-iso9660-image"},
  };
  auto slash = path.rfind('/');
  auto name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (const auto& t : types)
    if (name.size() > t.ext.size() && name.ends_with(t.ext)) return t.type;
  return "application/octet-stream";
}

HttpResponse HttpStaticFiles::serve(const HttpRequest& request) const {
  auto opened = root_.open_file(request.path);
  if (!opened) {
    bool forbidden = opened.error().code == std::errc::permission_denied;
    if (forbidden) {
      INGOT_LOG(warn, "http") << "refused " << request.target << ": " << opened.error().message();
    }
    return HttpResponse::error(forbidden ? 403 : 404);
  }
  const struct stat& st = opened->st;
  auto size = static_cast<std::uint64_t>(st.st_size);
  auto v = file_validators(st.st_ino, size, std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec);

  HttpResponse r;
  r.header("ETag", v.etag).header("Last-Modified", v.last_modified);
  if (none_match_hits(request.header("If-None-Match"), v.etag)) {
    r.status = 304;
    return r;
  }
  r.header("Content-Type", std::string(content_type_for(request.path))).header("Accept-Ranges", "bytes");
  auto range = ByteRange{};
  if (auto h = request.header("Range"); !h.empty() && if_range_allows(request.header("If-Range"), v))
    range = parse_range(h, size);
  switch (range.kind) {
    case ByteRange::Kind::unsatisfiable:
      r.status = 416;
      r.header("Content-Range", "bytes */" + std::to_string(size));
      r.body = std::string();
      return r;
    case ByteRange::Kind::partial:
      r.status = 206;
      r.header("Content-Range", "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" +
                                    std::to_string(size));
      r.body = FileBody{std::move(opened->file), range.first, range.last - range.first + 1};
      return r;
    case ByteRange::Kind::whole:
      break;
  }
  r.body = FileBody{std::move(opened->file), 0, size};
  return r;
}

}  // namespace ingot::pxe
