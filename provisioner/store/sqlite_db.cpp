#include "provisioner/store/sqlite_db.h"

#include <sqlite3.h>

namespace ingot::store {
namespace {

class SqliteCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "sqlite"; }
  std::string message(int code) const override { return sqlite3_errstr(code); }
};

Unexpected sql_fail(sqlite3* db, int rc, std::string_view what) {
  std::string ctx(what);
  if (db) ctx += ": " + std::string(sqlite3_errmsg(db));
  return fail(std::error_code(rc, sqlite_category()), std::move(ctx));
}

// Long enough to ride out a checkpoint or another writer, short enough that a stuck lock
// surfaces as an error instead of a hang.
constexpr int kBusyTimeoutMs = 5000;

}  // namespace

const std::error_category& sqlite_category() {
  static SqliteCategory c;
  return c;
}

Result<Db> Db::open(const std::filesystem::path& file) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string ctx = "open database " + file.string();
    if (raw) sqlite3_close(raw);
    return fail(std::error_code(rc, sqlite_category()), ctx);
  }
  Db db(raw);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  // WAL: readers never block the writer; synchronous=NORMAL in WAL is durable across a process
  // kill (the case we test), and loses at most the last commit on power loss.
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
    if (auto r = db.exec(pragma); !r) return fail(r.error());
  }
  return db;
}

Db::Db(Db&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    if (db_) sqlite3_close_v2(db_);
    db_ = o.db_;
    o.db_ = nullptr;
  }
  return *this;
}
Db::~Db() {
  if (db_) sqlite3_close_v2(db_);
}

Result<void> Db::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return fail(std::error_code(rc, sqlite_category()), "sql: " + msg);
  }
  return ok();
}

Result<Statement> Db::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return sql_fail(db_, rc, "prepare");
  return Statement(stmt, db_);
}

Result<void> Db::transaction(const std::function<Result<void>()>& fn) {
  if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
  Result<void> r = fn();
  if (!r) {
    (void)exec("ROLLBACK");
    return r;
  }
  if (auto c = exec("COMMIT"); !c) {
    (void)exec("ROLLBACK");
    return c;
  }
  return ok();
}

std::int64_t Db::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
int Db::changes() const { return sqlite3_changes(db_); }

Statement::Statement(Statement&& o) noexcept : stmt_(o.stmt_), db_(o.db_), bind_error_(o.bind_error_) {
  o.stmt_ = nullptr;
}
Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    stmt_ = o.stmt_;
    db_ = o.db_;
    bind_error_ = o.bind_error_;
    o.stmt_ = nullptr;
  }
  return *this;
}
Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int i, std::int64_t v) {
  if (int rc = sqlite3_bind_int64(stmt_, i, v); rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
  // An empty string_view may have a null data(); SQLite would bind that as NULL, not ''.
  const char* p = v.data() ? v.data() : "";
  if (int rc = sqlite3_bind_text(stmt_, i, p, static_cast<int>(v.size()), SQLITE_TRANSIENT); rc != SQLITE_OK)
    bind_error_ = rc;
  return *this;
}
Statement& Statement::bind_null(int i) {
  if (int rc = sqlite3_bind_null(stmt_, i); rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}
Statement& Statement::bind(int i, const std::optional<std::string>& v) {
  return v ? bind(i, std::string_view(*v)) : bind_null(i);
}

Result<bool> Statement::step() {
  if (bind_error_) return sql_fail(db_, bind_error_, "bind");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sql_fail(db_, rc, "step");
}

Result<void> Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) return fail(r.error());
    if (!*r) return ok();
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = 0;
}

std::int64_t Statement::int64(int col) const { return sqlite3_column_int64(stmt_, col); }
std::string Statement::text(int col) const {
  auto p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}
bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

}  // namespace ingot::store
