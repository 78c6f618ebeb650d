#include "provisioner/store/sqlite_db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <vector>

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

bool is_constraint_violation(const Error& e) {
  return e.code.category() == sqlite_category() && (e.code.value() & 0xff) == SQLITE_CONSTRAINT;
}

struct Db::Conn {
  sqlite3* db = nullptr;
  std::recursive_mutex mu;
  int depth = 0;                                // open transactions, outermost first
  std::vector<std::function<void()>> after;     // to run when depth is back to 0
  ~Conn() {
    if (db) sqlite3_close_v2(db);
  }
};

Result<Db> Db::open(const std::filesystem::path& file) {
  // The file is made 0600 before SQLite opens it: SQLite gives its -wal and -shm files the
  // database's mode, and the inventory holds tokens' digests and sealed BMC passwords.
  if (file != ":memory:") {
    int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return fail(std::error_code(errno, std::generic_category()), "open database " + file.string());
    bool private_mode = ::fchmod(fd, 0600) == 0;
    ::close(fd);
    if (!private_mode) return fail(std::error_code(errno, std::generic_category()), "chmod 0600 " + file.string());
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string ctx = "open database " + file.string();
    if (raw) sqlite3_close(raw);
    return fail(std::error_code(rc, sqlite_category()), ctx);
  }
  auto conn = std::make_shared<Conn>();
  conn->db = raw;
  Db db(std::move(conn));
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  // WAL: readers never block the writer; synchronous=NORMAL in WAL is durable across a process
  // kill (the case we test), and loses at most the last commit on power loss. secure_delete:
  // what a row held before an update or delete is zeroed, not left in the page's free space.
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON", "PRAGMA secure_delete=ON"}) {
    if (auto r = db.exec(pragma); !r) return fail(r.error());
  }
  return db;
}

std::unique_lock<std::recursive_mutex> Db::lock() const { return std::unique_lock(c_->mu); }

Result<void> Db::exec(std::string_view sql) {
  auto held = lock();
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(c_->db, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return fail(std::error_code(rc, sqlite_category()), "sql: " + msg);
  }
  return ok();
}

Result<Statement> Db::prepare(std::string_view sql) {
  auto held = lock();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(c_->db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return sql_fail(c_->db, rc, "prepare");
  return Statement(stmt, c_->db, std::move(held));
}

Result<void> Db::transaction(const std::function<Result<void>()>& fn) {
  auto held = lock();
  bool outer = c_->depth == 0;
  std::string sp = "ingot_sp" + std::to_string(c_->depth);
  if (auto r = exec(outer ? std::string("BEGIN IMMEDIATE") : "SAVEPOINT " + sp); !r) return r;
  ++c_->depth;
  Result<void> r = fn();
  // SQLite rolls a whole transaction back by itself on some errors (SQLITE_FULL, IOERR, BUSY
  // in a commit); a caller that went on after such an error must not believe it committed.
  if (r && sqlite3_get_autocommit(c_->db))
    r = fail(std::error_code(SQLITE_ABORT, sqlite_category()), "the database rolled the transaction back");
  if (r) {
    if (auto c = exec(outer ? std::string("COMMIT") : "RELEASE " + sp); !c) r = c;
  }
  if (!r && !sqlite3_get_autocommit(c_->db)) {
    if (auto rb = exec(outer ? std::string("ROLLBACK") : "ROLLBACK TO " + sp + "; RELEASE " + sp); !rb)
      r = fail(r.error().code, r.error().message() + " (and the rollback failed: " + rb.error().message() + ")");
  }
  --c_->depth;
  if (outer) {
    auto after = std::move(c_->after);
    c_->after.clear();
    for (auto& f : after) f();
  }
  return r;
}

bool Db::in_transaction() const {
  auto held = lock();
  return c_->depth > 0;
}

void Db::after_transaction(std::function<void()> fn) {
  auto held = lock();
  if (c_->depth > 0) {
    c_->after.push_back(std::move(fn));
    return;
  }
  fn();
}

std::int64_t Db::last_insert_id() const { return sqlite3_last_insert_rowid(c_->db); }
int Db::changes() const { return sqlite3_changes(c_->db); }

Statement::Statement(Statement&& o) noexcept
    : stmt_(o.stmt_), db_(o.db_), bind_error_(o.bind_error_), lock_(std::move(o.lock_)) {
  o.stmt_ = nullptr;
}
Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    stmt_ = o.stmt_;
    db_ = o.db_;
    bind_error_ = o.bind_error_;
    lock_ = std::move(o.lock_);
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
