#include "hwmatch/spec_parser.h"

#include "hwmatch/role_loader.h"
#include "hwmatch/spec_field_parser.h"
#include "hwmatch/spec_lines.h"

namespace ingot::hwmatch {
namespace {

struct RawField {
  std::size_t offset;
  std::string_view text;
};

bool is_space(char c) { return c == ' ' || c == '\t'; }

// Splits a line into fields at whitespace outside quotes and parentheses; stops at a `#` that
// starts a field. Reports the quoting and nesting mistakes here, where the column is known.
Result<std::vector<RawField>> split_fields(std::string_view line, std::string_view file, int lineno) {
  auto err = [&](std::size_t at, const std::string& msg) {
    return fail(spec_location(file, lineno, static_cast<int>(at) + 1) + ": " + msg);
  };
  std::vector<RawField> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    if (i >= line.size() || line[i] == '#') break;
    std::size_t start = i;
    std::vector<std::size_t> open;
    while (i < line.size() && (!open.empty() || !is_space(line[i]))) {
      char c = line[i];
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t')
        return err(i, "control character 0x" + std::to_string(static_cast<int>(c)) + " in a spec line; remove it");
      if (c == '"' || c == '\'') {
        std::string ignored;
        std::size_t p = i;
        if (!read_quoted(line, p, ignored))
          return err(i, std::string("unterminated string; close it with a matching ") + c);
        i = p;
        continue;
      }
      if (c == '(') open.push_back(i);
      if (c == ')') {
        if (open.empty()) return err(i, "unexpected ')' without a matching '('; remove it or quote the value");
        open.pop_back();
      }
      ++i;
    }
    if (!open.empty()) return err(open.back(), "unclosed '('; add ')'");
    out.push_back({start, line.substr(start, i - start)});
  }
  return out;
}

}  // namespace

Result<Spec> parse_spec(std::string_view text, std::string file) {
  Spec spec;
  spec.file = std::move(file);
  if (text.size() > kMaxSpecBytes)
    return fail(spec.file + ": " + std::to_string(text.size()) + " bytes exceed the limit of " + std::to_string(kMaxSpecBytes));
  int lineno = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::string_view line = next_line(text, pos);
    ++lineno;
    if (line.size() > kMaxSpecLineLength)
      return fail(spec_location(spec.file, lineno, 1) + ": line longer than " + std::to_string(kMaxSpecLineLength) + " characters");
    auto fields = split_fields(line, spec.file, lineno);
    if (!fields) return fail(fields.error());
    if (fields->empty()) continue;
    if (fields->size() != 4) {
      int col = fields->size() > 4 ? static_cast<int>((*fields)[4].offset) + 1 : static_cast<int>(line.size()) + 1;
      return fail(spec_location(spec.file, lineno, col) + ": expected 4 fields (class name key value), got " +
                  std::to_string(fields->size()) + (fields->size() > 4 ? "; quote values that contain spaces" : ""));
    }
    if (spec.lines.size() >= kMaxSpecLines)
      return fail(spec_location(spec.file, lineno, 1) + ": more than " + std::to_string(kMaxSpecLines) + " spec lines");
    SpecLine sl;
    sl.line = lineno;
    sl.column = static_cast<int>((*fields)[0].offset) + 1;
    for (std::size_t k = 0; k < 4; ++k) {
      const RawField& rf = (*fields)[k];
      SourceSpot at{spec.file, lineno, static_cast<int>(rf.offset) + 1};
      auto f = parse_field(rf.text, FieldSyntax::ingot, at, spec);
      if (!f) return fail(f.error());
      sl.fields[k] = std::move(*f);
      if (!sl.text.empty()) sl.text += ' ';
      sl.text += rf.text;
    }
    assign_bucket(sl);
    spec.lines.push_back(std::move(sl));
  }
  return spec;
}

Result<Spec> load_spec(const std::string& path) {
  auto text = read_config_file(path, kMaxSpecBytes);
  if (!text) return fail(text.error());
  return parse_spec(*text, path);
}

}  // namespace ingot::hwmatch
