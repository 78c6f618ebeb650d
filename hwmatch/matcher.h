// Matching a spec against a node's facts: every spec line must be satisfied by a distinct fact
// (a fact used by one line is consumed), with variables agreeing wherever they recur. The search
// backtracks over candidate facts in fact order, so the first solution is deterministic, and it
// is bounded by kMaxMatchSteps so a pathological spec fails as "too complex" instead of hanging.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "hwmatch/facts.h"
#include "hwmatch/spec.h"

namespace ingot::hwmatch {

// One step = one candidate fact tried against one spec line. A real 30-line spec against a
// 2k-fact machine needs a few thousand; 8 interchangeable disks with a failing last line need a
// few hundred thousand (8! orderings). A million steps is ~20 ms: a clear failure, never a hang.
inline constexpr std::size_t kMaxMatchSteps = 1'000'000;

// Facts grouped by (class, key) hash, so a spec line looks only at its own bucket.
// Built once per node and shared by every role's match.
class FactIndex {
 public:
  explicit FactIndex(const Facts& facts);
  const Facts& facts() const { return *facts_; }
  // Fact indices (in fact order) that may match a line; every fact when the hash is 0.
  std::span<const std::uint32_t> candidates(std::uint64_t bucket) const;

 private:
  const Facts* facts_;
  std::vector<std::uint64_t> hashes_;  // sorted
  std::vector<std::uint32_t> ids_;     // parallel to hashes_
  std::vector<std::uint32_t> all_;
};

struct Binding {
  std::string name;  // without '$'
  std::string value;
  bool exported = false;  // written $$name
};
using Bindings = std::vector<Binding>;

// Where the search got furthest: the spec line that no fact could satisfy and the state the
// first time the search reached it. Values point into the matched Facts.
struct MissTrace {
  std::size_t line = 0;                      // index into Spec::lines
  std::vector<const std::string*> bound;     // per variable, nullptr when unbound
  std::vector<int> bound_by;                 // per variable, the line index that bound it
  std::vector<std::int32_t> taken_by;        // per fact, 1 + line index that consumed it, or 0
};

struct MatchResult {
  bool matched = false;
  bool too_complex = false;
  std::size_t steps = 0;
  Bindings bindings;  // when matched, in order of first appearance in the spec
  MissTrace miss;     // when not matched and tracing was asked for
};

// Holds scratch buffers so matching many specs allocates only for the result.
class Matcher {
 public:
  MatchResult match(const Spec& spec, const FactIndex& facts, bool trace = false);

 private:
  bool solve(std::size_t line);
  bool line_fits(const SpecLine& l, const Fact& f, int line, int* newly, int& nnew);

  const Spec* spec_ = nullptr;
  const FactIndex* index_ = nullptr;
  bool trace_ = false;
  bool too_complex_ = false;
  std::size_t steps_ = 0;
  std::vector<const std::string*> bound_;
  std::vector<int> bound_by_;
  std::vector<std::int32_t> taken_by_;
  MissTrace miss_;
  bool have_miss_ = false;
};

MatchResult match(const Spec& spec, const Facts& facts);

}  // namespace ingot::hwmatch
