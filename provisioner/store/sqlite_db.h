// The one wrapper over SQLite: RAII owners for the connection and statements, C return codes
// turned into Result, and the sqlite3 header kept out of every other header.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ingot::store {

class Statement;

class Db {
 public:
  // Opens (creating) the database file with WAL journaling, foreign keys on and a busy timeout.
  // ":memory:" gives a private in-memory database for tests.
  static Result<Db> open(const std::filesystem::path& file);

  Db(Db&&) noexcept;
  Db& operator=(Db&&) noexcept;
  ~Db();

  Result<void> exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  // Runs fn inside BEGIN IMMEDIATE … COMMIT; rolls back when fn fails.
  Result<void> transaction(const std::function<Result<void>()>& fn);
  std::int64_t last_insert_id() const;
  int changes() const;

  sqlite3* handle() { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
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
  void reset();

  std::int64_t int64(int col) const;
  std::string text(int col) const;
  bool is_null(int col) const;

 private:
  friend class Db;
  Statement(sqlite3_stmt* s, sqlite3* db) : stmt_(s), db_(db) {}
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
  int bind_error_ = 0;
};

// SQLite result codes as a std::error_category, so errors carry the real cause.
const std::error_category& sqlite_category();

}  // namespace ingot::store
