#include "provisioner/agent/upgrade_service.h"

#include <thread>

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "imagebuilder/apply_source.h"
#include "imagebuilder/file_io.h"
#include "common/command_runner.h"
#include "provisioner/agent/image_state.h"
#include "common/server_client.h"
#include "provisioner/agent/upgrade_journal.h"

namespace ingot::agent {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The handoff file is a few KB of JSON; the token one line.
constexpr std::size_t kMaxHandoffBytes = 1 << 20;
constexpr const char* kUpgradeApi = "/api/v1/agent/upgrade";

// A server that is away is tried again at the next poll, not waited for here.
RetryPolicy poll_retry() {
  RetryPolicy r;
  r.give_up_after = std::chrono::seconds(20);
  return r;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

class ApiReporter {
 public:
  ApiReporter(ServerClient& c, json rollout) : client_(c), rollout_(std::move(rollout)) {}
  void set(const std::string& from, const std::string& to) {
    from_ = from;
    to_ = to;
  }
  // False when the server refused (409: no such upgrade assigned) or could not be reached.
  bool send(const std::string& status, const std::string& message, const json& data) {
    json body = {{"status", status}, {"from", from_}, {"to", to_}, {"rollout", rollout_}, {"message", message}, {"data", data}};
    auto r = client_.post_json(kUpgradeApi, body);
    if (!r) INGOT_LOG(warn, "upgrade") << "report " << status << " not delivered: " << r.error().message();
    return static_cast<bool>(r);
  }

 private:
  ServerClient& client_;
  json rollout_;
  std::string from_, to_;
};

// A report the engine recorded while the server was away (recover at boot) goes first.
void deliver_pending(ServerClient& client, const fs::path& root) {
  UpgradeArea area(root);
  auto j = area.load();
  if (!j || !*j || (*j)->pending_report.is_null()) return;
  if (!client.post_json(kUpgradeApi, (*j)->pending_report)) return;
  UpgradeJournal done = **j;
  done.pending_report = nullptr;
  (void)area.save(done);
}

void maybe_reboot(const ServiceOptions& opt, const UpgradeOutcome& o) {
  if (o.status != "reboot-pending" || !opt.reboot) return;
  INGOT_LOG(info, "upgrade") << "rebooting into " << o.to;
  SystemRunner runner;
  (void)runner.run({"sync"}, {}, std::chrono::seconds(120));
  (void)runner.run({"reboot"}, {}, std::chrono::seconds(60));
}

}  // namespace

Result<Connection> connection(const fs::path& root, const std::optional<std::string>& server,
                              const std::optional<std::string>& token_file, bool need_token) {
  Connection c;
  if (server) {
    c.server = *server;
  } else {
    fs::path handoff = root / "etc/ingot/handoff.json";
    auto text = image::read_file_limited(handoff, kMaxHandoffBytes);
    if (!text) return fail("no --server and no " + handoff.string() + ": " + text.error().message());
    auto j = json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j["server"].is_string() || j["server"].get<std::string>().empty())
      return fail(handoff.string() + ": no \"server\" string");
    c.server = j["server"].get<std::string>();
  }
  while (c.server.ends_with('/')) c.server.pop_back();
  fs::path tf = token_file ? fs::path(*token_file) : root / "etc/ingot/node.token";
  auto token = image::read_file_limited(tf, 4096);
  if (token) c.token = trim(*token);
  else if (need_token || token_file) return fail("cannot read the node token " + tf.string() + ": " + token.error().message());
  return c;
}

Result<UpgradeOutcome> upgrade_once(const ServiceOptions& opt, const UpgradeRequest& req, const UpgradeReporter& report) {
  auto source = image::http_source(opt.conn.server);
  SystemRunner runner;
  UpgradeRequest r = req;
  r.more_sources = [server = opt.conn.server] { return image::http_source(server); };
  auto o = run_upgrade(r, *source, runner, report);
  if (o) maybe_reboot(opt, *o);
  return o;
}

int serve_upgrades(const ServiceOptions& opt, bool once, std::chrono::seconds interval) {
  ServerClient client(opt.conn.server, opt.conn.token, poll_retry());
  bool told = false;
  for (;;) {
    deliver_pending(client, opt.root);
    // A committed upgrade waiting for its reboot (--no-reboot, or a reboot that failed): nothing
    // to ask the server until --recover has run after the reboot.
    auto j = UpgradeArea(opt.root).load();
    if (j && *j && (*j)->state == upgrade_state::reboot_pending) {
      if (!told) INGOT_LOG(warn, "upgrade") << "the upgrade to " << (*j)->to << " waits for its reboot";
      told = true;
      if (once) return 0;
      std::this_thread::sleep_for(interval);
      continue;
    }
    auto answer = client.get_json(kUpgradeApi);
    if (!answer) {
      INGOT_LOG(warn, "upgrade") << "cannot ask " << opt.conn.server << " for an upgrade: " << answer.error().message();
      if (once) return 1;
    } else if (answer->is_object() && (*answer)["target"].is_string()) {
      UpgradeRequest req;
      req.root = opt.root;
      req.target = (*answer)["target"].get<std::string>();
      req.rollout = answer->value("rollout", json());
      req.drift = answer->value("drift", "stop") == "overwrite" ? DriftPolicy::overwrite : DriftPolicy::stop;
      req.more_sources = [server = opt.conn.server] { return image::http_source(server); };
      ApiReporter api(client, req.rollout);
      auto from = image::read_file_limited(opt.root / kImageStateDir / "ref", 1024);
      api.set(from ? trim(*from) : "", req.target);
      auto source = image::http_source(opt.conn.server);
      SystemRunner runner;
      auto o = run_upgrade(req, *source, runner, [&](const std::string& status, const std::string& message, const json& data) {
        INGOT_LOG(info, "upgrade") << status << (message.empty() ? "" : ": " + message);
        api.send(status, message, data);
      });
      if (!o) {
        INGOT_LOG(error, "upgrade") << o.error().message();
        // Waiting for its reboot is not a failure: --recover reports `done` after it.
        auto j = UpgradeArea(opt.root).load();
        bool rebooting = j && *j && (*j)->state == upgrade_state::reboot_pending;
        if (!rebooting) api.send("failed", o.error().message(), json::object());
        if (once) return 1;
      } else {
        maybe_reboot(opt, *o);
        if (once) return o->status == "done" || o->status == "reboot-pending" ? 0 : 1;
      }
    }
    if (once) return answer ? 0 : 1;
    std::this_thread::sleep_for(interval);
  }
}

}  // namespace ingot::agent
