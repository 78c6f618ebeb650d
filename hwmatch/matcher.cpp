#include "hwmatch/matcher.h"

#include <algorithm>
#include <numeric>

namespace ingot::hwmatch {

FactIndex::FactIndex(const Facts& facts) : facts_(&facts) {
  const auto n = static_cast<std::uint32_t>(facts.size());
  all_.resize(n);
  std::iota(all_.begin(), all_.end(), 0u);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed(n);
  for (std::uint32_t i = 0; i < n; ++i) keyed[i] = {bucket_hash(facts[i].cls, facts[i].key), i};
  std::sort(keyed.begin(), keyed.end());
  hashes_.resize(n);
  ids_.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    hashes_[i] = keyed[i].first;
    ids_[i] = keyed[i].second;
  }
}

std::span<const std::uint32_t> FactIndex::candidates(std::uint64_t bucket) const {
  if (bucket == 0) return all_;
  auto [lo, hi] = std::equal_range(hashes_.begin(), hashes_.end(), bucket);
  return {ids_.data() + (lo - hashes_.begin()), static_cast<std::size_t>(hi - lo)};
}

bool Matcher::line_fits(const SpecLine& l, const Fact& f, int line, int* newly, int& nnew) {
  // Class and key first (cheap, usually literal), then the name (often an already bound
  // variable), then the value, where the costly tests are.
  static constexpr int kOrder[4] = {0, 2, 1, 3};
  const std::string* values[4] = {&f.cls, &f.name, &f.key, &f.value};
  for (int k : kOrder) {
    const SpecField& sf = l.fields[k];
    const std::string& v = *values[k];
    if (sf.is_literal) {
      if (v != sf.literal) return false;
      continue;
    }
    if (sf.var >= 0 && bound_[sf.var]) {
      if (*bound_[sf.var] != v) return false;
      if (sf.test && !eval(*sf.test, v)) return false;
      continue;
    }
    if (sf.test && !eval(*sf.test, v)) return false;
    if (sf.var >= 0) {
      bound_[sf.var] = &v;
      bound_by_[sf.var] = line;
      newly[nnew++] = sf.var;
    }
  }
  return true;
}

bool Matcher::solve(std::size_t line) {
  const auto& lines = spec_->lines;
  if (line == lines.size()) return true;
  if (trace_ && (!have_miss_ || line > miss_.line)) {
    have_miss_ = true;
    miss_.line = line;
    miss_.bound = bound_;
    miss_.bound_by = bound_by_;
    miss_.taken_by = taken_by_;
  }
  const SpecLine& l = lines[line];
  const Facts& facts = index_->facts();
  for (std::uint32_t id : index_->candidates(l.bucket_hash)) {
    if (taken_by_[id] != 0) continue;
    if (++steps_ > kMaxMatchSteps) {
      too_complex_ = true;
      return false;
    }
    int newly[4];
    int nnew = 0;
    if (line_fits(l, facts[id], static_cast<int>(line), newly, nnew)) {
      taken_by_[id] = static_cast<std::int32_t>(line) + 1;
      if (solve(line + 1)) return true;
      taken_by_[id] = 0;
    }
    for (int i = 0; i < nnew; ++i) bound_[newly[i]] = nullptr;
    if (too_complex_) return false;
  }
  return false;
}

MatchResult Matcher::match(const Spec& spec, const FactIndex& facts, bool trace) {
  spec_ = &spec;
  index_ = &facts;
  trace_ = trace;
  too_complex_ = false;
  have_miss_ = false;
  steps_ = 0;
  bound_.assign(spec.vars.size(), nullptr);
  bound_by_.assign(spec.vars.size(), -1);
  taken_by_.assign(facts.facts().size(), 0);
  MatchResult r;
  r.matched = solve(0);
  r.too_complex = too_complex_;
  r.steps = steps_;
  if (r.matched) {
    r.bindings.reserve(spec.vars.size());
    for (std::size_t v = 0; v < spec.vars.size(); ++v)
      if (bound_[v]) r.bindings.push_back({spec.vars[v], *bound_[v], spec.exported[v]});
  } else if (trace) {
    r.miss = std::move(miss_);
    miss_ = {};
  }
  return r;
}

MatchResult match(const Spec& spec, const Facts& facts) {
  FactIndex index(facts);
  return Matcher().match(spec, index);
}

}  // namespace ingot::hwmatch
