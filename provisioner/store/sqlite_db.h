// The one wrapper over SQLite: RAII owners for the connection and statements, C return codes
// turned into Result, and the sqlite3 header kept out of every other header. A Db is a handle:
// copies share one connection, so the inventory, role assignments and rollouts write through
// the same connection and one decision can be one transaction across them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ingot::store {

class Statement;

class Db {
 public:
  // Opens (creating, mode 0600) the database file with WAL journaling, foreign keys on and a
  // busy timeout.
  // ":memory:" gives a private in-memory database for tests.
  static Result<Db> open(const std::filesystem::path& file);

  // The connection's lock. Held by every statement from prepare to destruction and by a
  // transaction from BEGIN to COMMIT, so a statement from another thread (the boot-write
  // worker) never lands inside somebody else's transaction. Recursive: a transaction's own
  // statements take it again.
  std::unique_lock<std::recursive_mutex> lock() const;

  Result<void> exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  // Runs fn inside BEGIN IMMEDIATE … COMMIT; rolls back when fn fails. Inside another
  // transaction it is a savepoint: its failure undoes only its own writes, and nothing is
  // durable before the outermost transaction commits.
  Result<void> transaction(const std::function<Result<void>()>& fn);
  bool in_transaction() const;
  // Runs fn once the outermost transaction has ended (committed or rolled back), or now when
  // none is open: for caches of what is in the database, which must see the outcome.
  void after_transaction(std::function<void()> fn);
  std::int64_t last_insert_id() const;
  int changes() const;

 private:
  struct Conn;
  explicit Db(std::shared_ptr<Conn> c) : c_(std::move(c)) {}
  std::shared_ptr<Conn> c_;
};

class Statement {
 public:
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;
  ~Statement();

  // Binds by 1-based index. Chainable; errors surface at step().
  Statement& bind(int index, std::int64_t v);
  Statement& bind(int index, std::string_view v);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::string>& v);

  // true: a row is ready; false: done. Errors (constraint violations…) are Results.
  Result<bool> step();
  // Steps to completion, for statements without result rows.
  Result<void> run();
  // Steps to completion, calling fn(const Statement&) on each row.
  template <typename Fn>
  Result<void> each_row(Fn&& fn) {
    for (;;) {
      auto row = step();
      if (!row) return fail(row.error());
      if (!*row) return ok();
      fn(static_cast<const Statement&>(*this));
    }
  }
  // The first row, as from_row(const Statement&) makes it, or nullopt when there is none.
  template <typename Fn>
  auto first_row(Fn&& from_row) -> Result<std::optional<decltype(from_row(std::declval<const Statement&>()))>> {
    using T = decltype(from_row(std::declval<const Statement&>()));
    auto row = step();
    if (!row) return fail(row.error());
    if (!*row) return std::optional<T>{};
    return std::optional<T>{from_row(static_cast<const Statement&>(*this))};
  }
  // Every row, as from_row(const Statement&) makes it.
  template <typename Fn>
  auto rows(Fn&& from_row) -> Result<std::vector<decltype(from_row(std::declval<const Statement&>()))>> {
    std::vector<decltype(from_row(std::declval<const Statement&>()))> out;
    if (auto r = each_row([&](const Statement& s) { out.push_back(from_row(s)); }); !r) return fail(r.error());
    return out;
  }
  void reset();

  std::int64_t int64(int col) const;
  std::string text(int col) const;
  bool is_null(int col) const;

 private:
  friend class Db;
  Statement(sqlite3_stmt* s, sqlite3* db, std::unique_lock<std::recursive_mutex> lock)
      : stmt_(s), db_(db), lock_(std::move(lock)) {}
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
  int bind_error_ = 0;
  std::unique_lock<std::recursive_mutex> lock_;
};

// SQLite result codes as a std::error_category, so errors carry the real cause.
const std::error_category& sqlite_category();
// A UNIQUE, NOT NULL or foreign-key refusal: the caller's conflict, not a storage fault.
bool is_constraint_violation(const Error& e);

}  // namespace ingot::store
