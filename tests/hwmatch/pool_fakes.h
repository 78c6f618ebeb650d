// Fakes for the PoolStore seam: a store that always fails, one that stays empty (drops every
// insert and reports success: a store that loses writes), one with fixed contents, and a
// racing store that lets "another allocator" take the first pick.
#pragma once

#include <functional>

#include "hwmatch/pool_store.h"

namespace ingot::hwmatch::fakes {

class BrokenPoolStore final : public PoolStore {
 public:
  Result<std::optional<PoolValues>> find(const std::string&, const std::string&) override { return broken(); }
  Result<std::map<std::string, PoolValues>> held(const std::string&) override { return broken(); }
  Result<bool> insert(const std::string&, const std::string&, const PoolValues&, const std::vector<std::string>&) override {
    return broken();
  }
  Result<bool> release(const std::string&, const std::string&) override { return broken(); }

 private:
  static Unexpected broken() { return fail(std::make_error_code(std::errc::io_error), "disk on fire"); }
};

// Holds nothing and accepts nothing: every insert is refused.
class EmptyPoolStore final : public PoolStore {
 public:
  Result<std::optional<PoolValues>> find(const std::string&, const std::string&) override {
    return std::optional<PoolValues>();
  }
  Result<std::map<std::string, PoolValues>> held(const std::string&) override {
    return std::map<std::string, PoolValues>();
  }
  Result<bool> insert(const std::string&, const std::string&, const PoolValues&, const std::vector<std::string>&) override {
    return false;
  }
  Result<bool> release(const std::string&, const std::string&) override { return false; }
};

// Fixed contents, read-only.
class FixedPoolStore final : public PoolStore {
 public:
  explicit FixedPoolStore(std::map<std::string, std::map<std::string, PoolValues>> by_role) : by_role_(std::move(by_role)) {}
  Result<std::optional<PoolValues>> find(const std::string& role, const std::string& node) override {
    auto r = by_role_.find(role);
    if (r == by_role_.end() || !r->second.count(node)) return std::optional<PoolValues>();
    return std::optional<PoolValues>(r->second.at(node));
  }
  Result<std::map<std::string, PoolValues>> held(const std::string& role) override {
    auto r = by_role_.find(role);
    return r == by_role_.end() ? std::map<std::string, PoolValues>() : r->second;
  }
  Result<bool> insert(const std::string&, const std::string&, const PoolValues&, const std::vector<std::string>&) override {
    return false;
  }
  Result<bool> release(const std::string&, const std::string&) override { return false; }

 private:
  std::map<std::string, std::map<std::string, PoolValues>> by_role_;
};

// A memory store where, just before the first insert, another allocator grabs the same
// values for node "racer": the allocator must notice and pick again.
class RacingPoolStore final : public PoolStore {
 public:
  Result<std::optional<PoolValues>> find(const std::string& r, const std::string& n) override { return mem_.find(r, n); }
  Result<std::map<std::string, PoolValues>> held(const std::string& r) override { return mem_.held(r); }
  Result<bool> insert(const std::string& r, const std::string& n, const PoolValues& v,
                      const std::vector<std::string>& keys) override {
    if (!raced_) {
      raced_ = true;
      (void)mem_.insert(r, "racer", v, keys);
    }
    return mem_.insert(r, n, v, keys);
  }
  Result<bool> release(const std::string& r, const std::string& n) override { return mem_.release(r, n); }

 private:
  MemoryPoolStore mem_;
  bool raced_ = false;
};

}  // namespace ingot::hwmatch::fakes
