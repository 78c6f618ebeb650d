// Parses one field of a spec line: a literal, $var, $$var, $var=test(...) or a test such as
// and(gt(100), lt(2000)). Shared by the ingot spec file format and the eDeploy importer, which
// differ only in how a bare value is read (see FieldSyntax). Every error names file:line:col.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "hwmatch/spec.h"

namespace ingot::hwmatch {

enum class FieldSyntax {
  // ingot: `name(` must be a known function; other values with quotes or parentheses must be
  // quoted ('Intel(R) Xeon(R)'), so a typo like gtt(4) is an error, not a silent literal.
  ingot,
  // eDeploy: the field is an already-unquoted Python string; it is a test only when it is
  // `known_function(...)`, anything else is compared literally (eDeploy's own rule).
  edeploy,
};

struct SourceSpot {
  std::string_view file;
  int line = 1;
  int column = 1;  // column of the field's first character
};

Result<SpecField> parse_field(std::string_view text, FieldSyntax syntax, const SourceSpot& at, Spec& spec);

// Reads a '...' or "..." string starting at text[pos] (the quote); on success pos is just past
// the closing quote. Escapes: \\ \' \" \n \t; any other \x is kept as written so regexes like
// '\d+' need no doubling. Returns false when the string is not closed.
bool read_quoted(std::string_view text, std::size_t& pos, std::string& out);

}  // namespace ingot::hwmatch
