#include "hwmatch/edeploy_import.h"

#include "hwmatch/pool_range.h"
#include "hwmatch/role_loader.h"
#include "hwmatch/spec_field_parser.h"

namespace ingot::hwmatch {
namespace {

std::string where(const std::string& file, const PyValue& v) {
  return file + ":" + std::to_string(v.line) + ":" + std::to_string(v.column);
}

Unexpected expected(const std::string& file, const PyValue& v, const std::string& what) {
  return fail(where(file, v) + ": expected " + what + ", found " + std::string(kind_name(v.kind)));
}

// CMDB values are strings in eDeploy's files, with 'used': 1 as the one integer.
Result<std::string> scalar_text(const std::string& file, const PyValue& v) {
  switch (v.kind) {
    case PyValue::Kind::string: return v.text;
    case PyValue::Kind::integer: return std::to_string(v.integer);
    case PyValue::Kind::boolean: return std::string(v.boolean ? "True" : "False");
    default: return expected(file, v, "a string or an integer");
  }
}

// One generate() key: a range pattern ('10.0.2.3-253', 'host001-250'), a constant, or a
// tuple/list of values handed out in order.
struct Generator {
  std::string key;
  std::vector<std::string> values;  // a list
  std::optional<ValueRange> range;  // a pattern
  bool bounded() const { return range ? !range->constant() : true; }
  std::uint64_t size() const { return range ? range->size() : values.size(); }
  std::string at(std::uint64_t i) const { return range ? range->at(range->constant() ? 0 : i) : values[i]; }
};

// eDeploy's synthetic CMDB, generate({...}): one entry per value of the generators, zipped,
// as many entries as the shortest range or list (eDeploy stops at the first exhausted one);
// constants repeat. A model without any range or list is a single entry.
Result<std::vector<Allocation>> expand_generate(const std::string& file, const PyValue& call) {
  if (call.items.size() != 1 || call.items[0].kind != PyValue::Kind::dict)
    return fail(where(file, call) + ": generate() takes one dict of key: pattern");
  std::vector<Generator> gens;
  for (const auto& [k, v] : call.items[0].dict) {
    if (!k.is_string()) return expected(file, k, "a string key");
    Generator g{k.text, {}, std::nullopt};
    if (v.is_sequence()) {
      for (const PyValue& item : v.items) {
        auto s = scalar_text(file, item);
        if (!s) return fail(s.error());
        g.values.push_back(std::move(*s));
      }
    } else {
      auto s = scalar_text(file, v);
      if (!s) return fail(s.error());
      auto r = ValueRange::parse(*s);
      if (!r) return fail(where(file, v) + ": " + r.error().message());
      g.range = std::move(*r);
    }
    gens.push_back(std::move(g));
  }
  std::optional<std::uint64_t> n;
  for (const auto& g : gens)
    if (g.bounded()) n = n ? std::min(*n, g.size()) : g.size();
  std::uint64_t count = n.value_or(1);
  if (count > kMaxCmdbEntries)
    return fail(where(file, call) + ": generate() makes " + std::to_string(count) + " entries, more than the limit of " +
                std::to_string(kMaxCmdbEntries) + "; narrow the ranges");
  std::vector<Allocation> out(count);
  for (std::uint64_t i = 0; i < count; ++i)
    for (const auto& g : gens) out[i][g.key] = g.at(i);
  return out;
}

}  // namespace

Result<Spec> parse_edeploy_specs(std::string_view text, const std::string& file) {
  auto doc = parse_python_literal(text, file);
  if (!doc) return fail(doc.error());
  if (!doc->is_sequence()) return expected(file, *doc, "a list of (class, name, key, value) tuples");
  if (doc->items.size() > kMaxSpecLines) return fail(where(file, *doc) + ": more than " + std::to_string(kMaxSpecLines) + " spec lines");
  Spec spec;
  spec.file = file;
  for (const PyValue& t : doc->items) {
    if (!t.is_sequence() || t.items.size() != 4) {
      if (t.is_sequence())
        return fail(where(file, t) + ": expected 4 items (class, name, key, value), got " + std::to_string(t.items.size()));
      return expected(file, t, "a (class, name, key, value) tuple");
    }
    SpecLine line;
    line.line = t.line;
    line.column = t.column;
    line.text.clear();
    for (std::size_t k = 0; k < 4; ++k) {
      const PyValue& f = t.items[k];
      if (!f.is_string()) return expected(file, f, "a string");
      // The column of the string's first character (after the quote), exact unless escapes precede the error.
      SourceSpot at{file, f.line, f.column + 1};
      auto field = parse_field(f.text, FieldSyntax::edeploy, at, spec);
      if (!field) return fail(field.error());
      line.fields[k] = std::move(*field);
      if (!line.text.empty()) line.text += ' ';
      bool plain = !f.text.empty() && f.text.find_first_of(" \t'\"#") == std::string::npos;
      line.text += plain ? f.text : "'" + f.text + "'";
    }
    assign_bucket(line);
    spec.lines.push_back(std::move(line));
  }
  return spec;
}

Result<std::vector<RoleOrderEntry>> parse_edeploy_state(std::string_view text, const std::string& file) {
  auto doc = parse_python_literal(text, file);
  if (!doc) return fail(doc.error());
  if (!doc->is_sequence()) return expected(file, *doc, "a list of (profile, count) tuples");
  std::vector<RoleOrderEntry> out;
  for (const PyValue& t : doc->items) {
    if (!t.is_sequence() || t.items.size() != 2) return expected(file, t, "a (profile, count) tuple");
    const PyValue& name = t.items[0];
    const PyValue& count = t.items[1];
    if (!name.is_string()) return expected(file, name, "the profile name as a string");
    if (!valid_role_name(name.text))
      return fail(where(file, name) + ": profile name '" + name.text + "' may use only letters, digits, '_', '-', '.'");
    for (const auto& e : out)
      if (e.name == name.text) return fail(where(file, name) + ": profile '" + e.name + "' is already listed");
    RoleOrderEntry e{name.text, std::nullopt, t.line};
    if (count.kind == PyValue::Kind::integer) {
      if (count.integer < 0 || static_cast<std::uint64_t>(count.integer) > kMaxRoleCount)
        return fail(where(file, count) + ": count must be from 0 to " + std::to_string(kMaxRoleCount) + " or '*'");
      e.count = static_cast<std::size_t>(count.integer);
    } else if (count.is_string()) {
      // The eDeploy guide writes counts as strings: ('vm-debian', '3'), ('vm-centos', '*').
      auto c = parse_role_count(count.text);
      if (!c) return fail(where(file, count) + ": " + c.error().message());
      e.count = *c;
    } else {
      return expected(file, count, "a count (an integer, a number string or '*')");
    }
    if (out.size() >= kMaxRoles) return fail(where(file, t) + ": more than " + std::to_string(kMaxRoles) + " profiles");
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<Allocation>> parse_edeploy_cmdb(std::string_view text, const std::string& file) {
  PyParseOptions opt;
  opt.allowed_calls = {"generate"};
  auto doc = parse_python_literal(text, file, opt);
  if (!doc) return fail(doc.error());
  if (doc->kind == PyValue::Kind::call) return expand_generate(file, *doc);
  if (!doc->is_sequence()) return expected(file, *doc, "a list of dicts");
  if (doc->items.size() > kMaxCmdbEntries)
    return fail(where(file, *doc) + ": more than " + std::to_string(kMaxCmdbEntries) + " entries");
  std::vector<Allocation> out;
  for (const PyValue& d : doc->items) {
    if (d.kind != PyValue::Kind::dict) return expected(file, d, "a dict of key: value");
    Allocation entry;
    for (const auto& [k, v] : d.dict) {
      if (!k.is_string()) return expected(file, k, "a string key");
      auto s = scalar_text(file, v);
      if (!s) return fail(s.error());
      entry[k.text] = std::move(*s);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

Result<std::vector<Role>> load_edeploy_roles(const std::filesystem::path& dir) {
  auto state_text = read_config_file(dir / "state", kMaxPythonLiteralBytes);
  if (!state_text) return fail(state_text.error());
  const std::string state_file = (dir / "state").string();
  auto state = parse_edeploy_state(*state_text, state_file);
  if (!state) return fail(state.error());
  std::vector<Role> roles;
  for (const auto& e : *state) {
    auto specs_path = dir / (e.name + ".specs");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(specs_path, ec))
      return fail(state_file + ":" + std::to_string(e.line) + ":1: profile '" + e.name + "' has no " +
                  specs_path.string() + "; create it or remove the profile from state");
    auto text = read_config_file(specs_path, kMaxSpecBytes);
    if (!text) return fail(text.error());
    auto spec = parse_edeploy_specs(*text, specs_path.string());
    if (!spec) return fail(spec.error());
    Role role{e.name, e.count, std::move(*spec), {}, false};
    auto cmdb_path = dir / (e.name + ".cmdb");
    if (std::filesystem::is_regular_file(cmdb_path, ec)) {
      auto ctext = read_config_file(cmdb_path, kMaxPythonLiteralBytes);
      if (!ctext) return fail(ctext.error());
      auto cmdb = parse_edeploy_cmdb(*ctext, cmdb_path.string());
      if (!cmdb) return fail(cmdb.error());
      role.cmdb = std::move(*cmdb);
      role.has_cmdb = true;
    }
    roles.push_back(std::move(role));
  }
  return roles;
}

}  // namespace ingot::hwmatch
