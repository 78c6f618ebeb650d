#include "hwmatch/explain.h"

namespace ingot::hwmatch {
namespace {

// Enough examples to see the pattern without flooding a terminal with a 48-disk JBOD.
constexpr std::size_t kMaxShownFacts = 6;

using Ids = std::vector<std::uint32_t>;

class Narrower {
 public:
  Narrower(const Spec& s, const Facts& f, const MissTrace& t) : spec_(s), facts_(f), t_(t), l_(s.lines[t.line]) {}

  std::string reason() const;

 private:
  bool fits(int k, const std::string& v) const {
    const SpecField& f = l_.fields[k];
    if (f.is_literal) return v == f.literal;
    if (f.var >= 0 && t_.bound[f.var] && *t_.bound[f.var] != v) return false;
    return !f.test || eval(*f.test, v);
  }
  Ids keep(const Ids& in, int k) const {
    Ids out;
    for (auto id : in)
      if (fits(k, field(facts_[id], k))) out.push_back(id);
    return out;
  }
  static const std::string& field(const Fact& f, int k) {
    return k == 0 ? f.cls : k == 1 ? f.name : k == 2 ? f.key : f.value;
  }
  std::string bound_note(int k) const {
    const SpecField& f = l_.fields[k];
    if (f.var < 0 || !t_.bound[f.var]) return "";
    int by = t_.bound_by[f.var];
    return "$" + spec_.vars[f.var] + " is '" + *t_.bound[f.var] + "' (bound by line " +
           std::to_string(spec_.lines[by].line) + ")";
  }
  std::string list(const Ids& ids, int k) const;
  std::string value_reason(const Ids& named) const;

  const Spec& spec_;
  const Facts& facts_;
  const MissTrace& t_;
  const SpecLine& l_;
};

std::string Narrower::list(const Ids& ids, int k) const {
  std::string s;
  for (std::size_t i = 0; i < ids.size() && i < kMaxShownFacts; ++i) {
    const Fact& f = facts_[ids[i]];
    if (!s.empty()) s += ", ";
    s += k != 3 ? field(f, k) : l_.fields[1].is_literal ? f.value : f.name + "=" + f.value;
  }
  if (ids.size() > kMaxShownFacts) s += " and " + std::to_string(ids.size() - kMaxShownFacts) + " more";
  return s;
}

std::string Narrower::value_reason(const Ids& named) const {
  const SpecField& vf = l_.fields[3];
  const bool literal_name = l_.fields[1].is_literal;
  std::string what = facts_[named[0]].cls + (literal_name ? " " + facts_[named[0]].name : "") + " " + facts_[named[0]].key;
  if (vf.var >= 0 && t_.bound[vf.var]) return bound_note(3) + "; found " + list(named, 3);
  if (vf.test && (vf.test->op == ExprOp::gt || vf.test->op == ExprOp::ge || vf.test->op == ExprOp::lt ||
                  vf.test->op == ExprOp::le)) {
    bool want_max = vf.test->op == ExprOp::gt || vf.test->op == ExprOp::ge;
    const Fact* best = nullptr;
    double best_v = 0;
    for (auto id : named) {
      auto v = parse_number(facts_[id].value);
      if (v && (!best || (want_max ? *v > best_v : *v < best_v))) {
        best = &facts_[id];
        best_v = *v;
      }
    }
    if (!best) return "no " + what + " is a number; found " + list(named, 3);
    return std::string(want_max ? "largest " : "smallest ") + what + " is " + best->value +
           (literal_name ? "" : " (" + best->name + ")");
  }
  return "found " + list(named, 3);
}

std::string Narrower::reason() const {
  Ids all(facts_.size());
  for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
  Ids cls = keep(all, 0);
  const SpecField& c = l_.fields[0];
  if (cls.empty()) return "no fact has class " + (c.is_literal ? "'" + c.literal + "'" : c.source);
  Ids key = keep(cls, 2);
  const SpecField& k = l_.fields[2];
  std::string cls_name = facts_[cls[0]].cls;
  if (key.empty()) return "no " + cls_name + " fact has key " + (k.is_literal ? "'" + k.literal + "'" : k.source);
  Ids named = keep(key, 1);
  if (named.empty()) {
    std::string note = bound_note(1);
    std::string seen = "; " + cls_name + " " + facts_[key[0]].key + " exists for " + list(key, 1);
    if (!note.empty()) return note + " but it has no matching " + facts_[key[0]].key + seen;
    return "no " + cls_name + " named " + l_.fields[1].source + seen;
  }
  Ids valued = keep(named, 3);
  if (valued.empty()) return value_reason(named);
  Ids taken;
  for (auto id : valued)
    if (t_.taken_by[id] != 0) taken.push_back(id);
  if (taken.size() == valued.size()) {
    std::string s = "every fact that fits is already used by an earlier line:";
    for (std::size_t i = 0; i < taken.size() && i < kMaxShownFacts; ++i) {
      const Fact& f = facts_[taken[i]];
      s += " " + f.name + " " + f.key + "=" + f.value + " (line " +
           std::to_string(spec_.lines[t_.taken_by[taken[i]] - 1].line) + ")";
    }
    return s;
  }
  return std::to_string(valued.size() - taken.size()) + " fact(s) fit this line, but none lets the later lines match";
}

}  // namespace

Miss describe_miss(const Spec& spec, const Facts& facts, const MissTrace& trace) {
  Miss m;
  const SpecLine& l = spec.lines[trace.line];
  m.line_index = trace.line;
  m.where = spec_location(spec.file, l.line, l.column);
  m.line_text = l.text;
  m.reason = Narrower(spec, facts, trace).reason();
  return m;
}

std::optional<Miss> explain(const Spec& spec, const FactIndex& facts, Matcher& matcher) {
  MatchResult r = matcher.match(spec, facts, /*trace=*/true);
  if (r.matched) return std::nullopt;
  if (spec.lines.empty()) return std::nullopt;
  Miss m = describe_miss(spec, facts.facts(), r.miss);
  if (r.too_complex) {
    m.too_complex = true;
    m.reason = "too complex: gave up after " + std::to_string(kMaxMatchSteps) +
               " steps; put the most discriminating lines first (e.g. bind a disk by size before its slot); "
               "deepest line reached: " + m.reason;
  }
  return m;
}

}  // namespace ingot::hwmatch
