#include "provisioner/server/provisioner.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/log.h"
#include "hwmatch/role_loader.h"
#include "provisioner/deploy/node_config.h"
#include "imagebuilder/object_store.h"
#include "provisioner/server/upgrade_coordinator.h"
#include "provisioner/store/schema.h"

namespace ingot::server {
namespace fs = std::filesystem;
using inventory::Node;
using inventory::NodeState;
using nlohmann::json;

namespace {

std::int64_t now_s() { return inventory::now_ms() / 1000; }

std::optional<std::string> read_small(const fs::path& p) {
  std::ifstream in(p);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A string field of an untrusted JSON object: "" when absent or null, nullopt when present
// with another type (nlohmann's value() would throw on that).
std::optional<std::string> text_field(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return std::string();
  if (!j[key].is_string()) return std::nullopt;
  return j[key].get<std::string>();
}

ApiError not_found(const std::string& name) { return {404, "no node named '" + name + "'"}; }
ApiError conflict(const Error& e) { return {409, e.message()}; }

}  // namespace

Provisioner::Provisioner(asio::io_context& io, ServerConfig cfg, inventory::Inventory inv, store::Db assignments_db,
                         power::PowerDriverFactory factory)
    : io_(io),
      cfg_(std::move(cfg)),
      inv_(std::move(inv)),
      assignments_db_(std::move(assignments_db)),
      assignments_(assignments_db_) {
  boot::RamdiskConfig rc;
  rc.kernel = "ingot/ramdisk/vmlinuz";
  rc.initrd = "ingot/ramdisk/initrd.img";
  rc.server_url = cfg_.server_url;
  rc.extra_cmdline = cfg_.ramdisk_cmdline;
  policy_ = std::make_unique<boot::ProvisionerPolicy>(inv_, rc);
  power_ = std::make_unique<power::PowerService>(io_.get_executor(), std::move(factory));
}

Provisioner::~Provisioner() = default;

Result<std::unique_ptr<Provisioner>> Provisioner::open(asio::io_context& io, ServerConfig cfg,
                                                       power::PowerDriverFactory factory) {
  std::error_code ec;
  fs::create_directories(cfg.state_dir, ec);
  if (ec) return fail(ec, "state directory " + cfg.state_dir.string());
  auto inv = inventory::Inventory::open(cfg.state_dir / "ingot.db");
  if (!inv) return fail(inv.error());
  auto db = store::Db::open(cfg.state_dir / "ingot.db");
  if (!db) return fail(db.error());
  auto rollouts = rollout::RolloutStore::open(cfg.state_dir / "ingot.db");
  if (!rollouts) return fail(rollouts.error());
  if (cfg.image_store.empty()) cfg.image_store = cfg.state_dir / "images";
  std::unique_ptr<Provisioner> p(new Provisioner(io, std::move(cfg), std::move(*inv), std::move(*db), std::move(factory)));
  if (auto r = p->load_roles(); !r) return fail(r.error());
  std::int64_t timeout_s = p->cfg_.upgrade_report_timeout_s > 0 ? p->cfg_.upgrade_report_timeout_s : kDefaultUpgradeReportTimeoutS;
  Provisioner* self = p.get();
  p->upgrades_ = std::make_unique<UpgradeCoordinator>(
      p->inv_, std::move(*rollouts), p->cfg_.image_store, timeout_s * 1000,
      [self](const std::string& role) -> std::optional<std::string> {
        if (!self->deploys_.count(role)) return std::nullopt;
        std::string image = self->deploys_.at(role).image;
        auto at = image.find('@');
        return at == std::string::npos ? role : image.substr(0, at);
      });
  return p;
}

Result<void> Provisioner::load_roles() {
  if (cfg_.roles_dir.empty()) return ok();
  auto loaded = hwmatch::load_roles(cfg_.roles_dir);
  if (!loaded) return fail(loaded.error());
  roles_ = std::move(loaded->roles);
  for (auto& role : roles_) {
    fs::path dir = cfg_.roles_dir / role.name;
    if (auto text = read_small(dir / "pools.json")) {
      auto pools = hwmatch::RolePools::from_json(*text, (dir / "pools.json").string());
      if (!pools) return fail(pools.error());
      pools_.emplace(role.name, std::move(*pools));
    }
    RoleDeploy d;
    if (auto text = read_small(dir / "deploy.json")) {
      auto j = json::parse(*text, nullptr, false);
      if (j.is_discarded() || !j.is_object()) return fail((dir / "deploy.json").string() + ": not a JSON object");
      auto image = text_field(j, "image"), cmdline = text_field(j, "cmdline"), disk = text_field(j, "disk");
      if (!image || !cmdline || !disk)
        return fail((dir / "deploy.json").string() + ": image, cmdline and disk must be strings");
      d.image = *image;
      d.cmdline = *cmdline;
      d.disk = *disk;
      d.layout = j.contains("layout") ? j["layout"] : json();
    }
    deploys_[role.name] = d;
  }
  auto allocate = [this](const hwmatch::Role& role, const hwmatch::Bindings& bindings,
                         const std::vector<hwmatch::Allocation>& taken) -> Result<hwmatch::Allocation> {
    auto it = pools_.find(role.name);
    if (it == pools_.end()) return hwmatch::Allocation{};
    hwmatch::PoolVars vars;
    for (auto& b : bindings)
      if (b.exported) vars[b.name] = b.value;
    return it->second.pick(vars, taken);
  };
  selector_ = std::make_unique<hwmatch::Selector>(roles_, assignments_, allocate);
  INGOT_LOG(info, "server") << "loaded " << roles_.size() << " role(s) from " << cfg_.roles_dir.string();
  return ok();
}

void Provisioner::start_upgrade_watch() { asio::co_spawn(io_, upgrade_watch(), asio::detached); }

asio::awaitable<void> Provisioner::upgrade_watch() {
  // Often enough that a timeout is noticed within a quarter of it, at most every 5 s.
  auto period = std::chrono::milliseconds(std::clamp<std::int64_t>(upgrades_->report_timeout_ms() / 4, 250, 5000));
  asio::steady_timer timer(io_);
  for (;;) {
    upgrades_->sweep();
    timer.expires_after(period);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

std::string Provisioner::pin_image(const std::string& role, const std::string& image) const {
  std::string name = image.empty() ? role : image.substr(0, image.find('@'));
  if (!image.empty() && !image.ends_with("@latest")) return image;
  auto store = image::ObjectStore::open(cfg_.image_store);
  if (!store) return name + "@latest";
  auto newest = store->previous_version(name, "");
  if (!newest || !*newest) return name + "@latest";
  return (*newest)->str();
}

RoleDeploy Provisioner::role_deploy(const std::string& role) const {
  auto it = deploys_.find(role);
  return it == deploys_.end() ? RoleDeploy{} : it->second;
}

void Provisioner::fail_node(const Node& n, const std::string& phase, const std::string& why) {
  auto r = inv_.transition(n.id, NodeState::failed, phase, why);
  if (!r) INGOT_LOG(error, "server") << n.name << ": " << r.error().message();
  release_allocation(n);
  INGOT_LOG(warn, "server") << n.name << " failed in " << phase << ": " << why;
}

void Provisioner::release_allocation(const Node& n) {
  if (!selector_) return;
  (void)selector_->failed(n.name);
  auto cur = inv_.get(n.id);
  if (!cur || !cur->has_value() || (*cur)->allocation.empty()) return;
  if (auto r = inv_.set_match(n.id, (*cur)->role, json::object(), (*cur)->variables); !r)
    INGOT_LOG(error, "server") << n.name << ": cannot clear its allocation: " << r.error().message();
}

ApiResult<Node> Provisioner::node(const std::string& name) {
  auto n = inv_.find_by_name(name);
  if (!n) return ApiError{500, n.error().message()};
  if (!n->has_value()) return not_found(name);
  return **n;
}

ApiResult<Node> Provisioner::enrol(const json& body) {
  if (!body.is_object()) return ApiError{400, "expected a JSON object {name, mac?, bmc?}"};
  inventory::NewNode nn;
  auto name = text_field(body, "name");
  if (!name) return ApiError{400, "name must be a string"};
  nn.name = *name;
  if (body.contains("mac") && body["mac"].is_string()) {
    auto mac = pxe::MacAddress::parse(body["mac"].get<std::string>());
    if (!mac) return ApiError{400, "mac: '" + body["mac"].get<std::string>() + "' is not a MAC address"};
    nn.mac = mac->to_string();
  }
  if (body.contains("bmc") && body["bmc"].is_string()) {
    auto bmc = power::parse_bmc_address(body["bmc"].get<std::string>());
    if (!bmc) return ApiError{400, "bmc: " + bmc.error().message()};
    std::string redacted = "ipmi://" + bmc->user + "@" + bmc->endpoint();
    nn.bmc = redacted;
    if (bmc->has_password) nn.bmc_password = bmc->password;
  }
  auto added = inv_.add_node(nn);
  if (!added) return conflict(added.error());
  return *added;
}

Result<power::BmcAddress> Provisioner::bmc_of(const Node& n) {
  if (!n.bmc) return fail("node " + n.name + " has no BMC: power it on by hand (it will PXE-boot)");
  auto addr = power::parse_bmc_address(*n.bmc);
  if (!addr) return fail(addr.error());
  auto pw = inv_.bmc_password(n.id);
  if (!pw) return fail(pw.error());
  if (pw->has_value()) {
    addr->password = **pw;
    addr->has_password = true;
  }
  return addr;
}

ApiResult<Node> Provisioner::request_deploy(const std::string& name) {
  auto found = node(name);
  if (auto* e = std::get_if<ApiError>(&found)) return *e;
  Node n = std::get<Node>(found);
  if (n.state == NodeState::retired) return ApiError{409, "node " + name + " is retired: enrol it again first"};
  if (n.state == NodeState::deployed || n.state == NodeState::configured || n.state == NodeState::failed ||
      n.state == NodeState::matched) {
    auto moved = inv_.transition(n.id, NodeState::inspecting, "deploy", "deploy requested by the operator");
    if (!moved) return conflict(moved.error());
    n = *moved;
  }
  if (auto r = inv_.set_goal(n.id, "deploy"); !r) return ApiError{500, r.error().message()};
  upgrades_->cancel_node(n, "the node is being redeployed");
  policy_->forget_token(n.id);
  (void)inv_.record_event(n.id, "deploy", "log", "deploy requested");
  if (n.bmc) {
    asio::co_spawn(
        io_,
        [this, id = n.id]() -> asio::awaitable<void> {
          auto r = co_await pxe_power_on(id);
          if (!r) {
            auto cur = inv_.get(id);
            if (cur && cur->has_value()) fail_node(**cur, "power", r.error().message());
          }
        },
        asio::detached);
  }
  auto fresh = inv_.get(n.id);
  if (!fresh || !fresh->has_value()) return ApiError{500, "node vanished"};
  return **fresh;
}

asio::awaitable<Result<void>> Provisioner::pxe_power_on(std::int64_t id) {
  auto n = inv_.get(id);
  if (!n || !n->has_value()) co_return fail("node vanished");
  auto bmc = bmc_of(**n);
  if (!bmc) co_return fail(bmc.error());
  power::BootRequest boot{power::BootDevice::pxe, false, power::FirmwareMode::bios};
  auto set = co_await power_->async_set_boot(*bmc, boot, asio::use_awaitable);
  if (!set) co_return fail(set.error());
  auto state = co_await power_->async_status(*bmc, asio::use_awaitable);
  if (!state) co_return fail(state.error());
  auto action = *state == power::PowerState::on ? power::PowerAction::cycle : power::PowerAction::on;
  auto done = co_await power_->async_power(*bmc, action, asio::use_awaitable);
  if (!done) co_return fail(done.error());
  (void)inv_.record_event(id, "power", "log",
                          std::string("boot device pxe (next boot), power ") + std::string(power::to_string(action)));
  co_return ok();
}

asio::awaitable<void> Provisioner::boot_from_disk(std::int64_t id) {
  auto n = inv_.get(id);
  if (!n || !n->has_value()) co_return;
  auto bmc = bmc_of(**n);
  if (!bmc) co_return;  // no BMC: the agent reboots the machine itself
  asio::steady_timer timer(io_);
  // The agent powers the machine off once its report is in; wait for that (bounded).
  bool off = false;
  for (int i = 0; i < 120 && !off; ++i) {
    auto st = co_await power_->async_status(*bmc, asio::use_awaitable);
    if (st && *st == power::PowerState::off) {
      off = true;
      break;
    }
    timer.expires_after(std::chrono::seconds(1));
    co_await timer.async_wait(asio::use_awaitable);
  }
  if (!off) {
    auto r = co_await power_->async_power(*bmc, power::PowerAction::off, asio::use_awaitable);
    if (!r) {
      fail_node(**n, "reboot", "could not power off after deploy: " + r.error().message());
      co_return;
    }
  }
  power::BootRequest boot{power::BootDevice::disk, true, power::FirmwareMode::bios};
  // No co_await inside a conditional expression: GCC 12 miscompiles the temporaries.
  auto set = co_await power_->async_set_boot(*bmc, boot, asio::use_awaitable);
  if (!set) {
    fail_node(**n, "reboot", "could not set boot device disk: " + set.error().message());
    co_return;
  }
  auto on = co_await power_->async_power(*bmc, power::PowerAction::on, asio::use_awaitable);
  if (!on) {
    fail_node(**n, "reboot", "could not power on from disk: " + on.error().message());
    co_return;
  }
  (void)inv_.record_event(id, "reboot", "log", "boot device disk (persistent), power on");
}

asio::awaitable<ApiResult<json>> Provisioner::power(std::string name, std::string action) {
  auto found = node(name);
  if (auto* e = std::get_if<ApiError>(&found)) co_return *e;
  Node n = std::get<Node>(found);
  auto bmc = bmc_of(n);
  if (!bmc) co_return ApiError{409, bmc.error().message()};
  if (action == "status") {
    auto st = co_await power_->async_status(*bmc, asio::use_awaitable);
    if (!st) co_return ApiError{502, st.error().message()};
    co_return json{{"node", name}, {"power", std::string(power::to_string(*st))}};
  }
  auto act = power::parse_power_action(action);
  if (!act) co_return ApiError{400, act.error().message()};
  auto r = co_await power_->async_power(*bmc, *act, asio::use_awaitable);
  if (!r) {
    (void)inv_.record_event(n.id, "power", "error", "power " + action + ": " + r.error().message());
    co_return ApiError{502, r.error().message()};
  }
  (void)inv_.record_event(n.id, "power", "log", "power " + action);
  co_return json{{"node", name}, {"power", action}, {"ok", true}};
}

ApiResult<Node> Provisioner::retire(const std::string& name) {
  auto found = node(name);
  if (auto* e = std::get_if<ApiError>(&found)) return *e;
  Node n = std::get<Node>(found);
  auto moved = inv_.transition(n.id, NodeState::retired, "retire", "retired by the operator");
  if (!moved) return conflict(moved.error());
  release_allocation(n);
  policy_->forget_token(n.id);
  upgrades_->cancel_node(n, "the node is retired");
  auto fresh = inv_.get(n.id);
  return fresh && fresh->has_value() ? **fresh : *moved;
}

ApiResult<json> Provisioner::agent_facts(const Node& n, const json& body) {
  if (!body.is_object() || !body.contains("facts")) return ApiError{400, "expected {\"facts\": [...]}"};
  auto facts = hwmatch::facts_from_json(body["facts"].dump());
  if (!facts) return ApiError{400, facts.error().message()};
  if (auto r = inv_.set_facts(n.id, body["facts"].dump()); !r) return ApiError{500, r.error().message()};
  (void)inv_.record_event(n.id, "inspect", "log", "facts received: " + std::to_string(facts->size()) + " tuples");
  Node cur = n;
  if (cur.state != NodeState::inspecting) {
    auto moved = inv_.transition(cur.id, NodeState::inspecting, "inspect", "the machine is back in the deploy ramdisk");
    if (!moved) return conflict(moved.error());
    cur = *moved;
  }
  if (!selector_) {
    fail_node(cur, "match", "the server has no roles (start it with --roles DIR)");
    return ApiError{409, "no roles configured"};
  }
  auto decision = selector_->select(cur.name, *facts, now_s(), /*explain=*/true);
  if (!decision) {
    fail_node(cur, "match", decision.error().message());
    return ApiError{500, decision.error().message()};
  }
  if (!decision->assigned) {
    std::string why = "no role matches:";
    for (auto& o : decision->outcomes) why += "\n  " + o.role + ": " + hwmatch::outcome_text(o.kind) + " — " + o.detail;
    fail_node(cur, "match", why);
    return ApiError{409, why};
  }
  const auto& a = decision->assignment;
  json alloc = json::object(), vars = json::object();
  for (auto& [k, v] : a.allocation) alloc[k] = v;
  for (auto& b : a.bindings)
    if (b.exported) vars[b.name] = b.value;
  (void)inv_.set_match(cur.id, a.role, alloc, vars);
  auto matched = inv_.transition(cur.id, NodeState::matched, "match",
                                 "role " + a.role + (alloc.contains("hostname") ? " as " + alloc["hostname"].get<std::string>() : ""),
                                 json{{"role", a.role}, {"allocation", alloc}, {"sticky", decision->sticky}});
  if (!matched) return conflict(matched.error());
  if (cur.goal != "deploy") return json{{"action", "inspect"}, {"node", cur.name}, {"role", a.role}, {"after", "poweroff"}};

  RoleDeploy d = role_deploy(a.role);
  std::string image = pin_image(a.role, d.image);
  // What the node will run once deployed; a latest that cannot be resolved stays unknown.
  (void)inv_.set_image(cur.id, image.ends_with("@latest") ? "" : image);
  auto deploying = inv_.transition(cur.id, NodeState::deploying, "plan", "deploy " + image);
  if (!deploying) return conflict(deploying.error());
  json plan = {{"action", "deploy"}, {"node", cur.name},   {"role", a.role},
               {"image", image},     {"layout", d.layout}, {"disk", d.disk},
               {"cmdline", d.cmdline.empty() ? cfg_.deploy_cmdline : d.cmdline},
               {"after", cur.bmc ? "poweroff" : "reboot"}};
  return plan;
}

ApiResult<json> Provisioner::agent_report(const Node& n, const json& body) {
  if (!body.is_object()) return ApiError{400, "expected {phase, status, message, data}"};
  auto phase_f = text_field(body, "phase"), status_f = text_field(body, "status"), message_f = text_field(body, "message");
  if (!phase_f || !status_f || !message_f) return ApiError{400, "phase, status and message must be strings"};
  std::string phase = *phase_f, status = *status_f, message = *message_f;
  if (phase.empty() || status.empty()) return ApiError{400, "phase and status are required"};
  json data = body.contains("data") && body["data"].is_object() ? body["data"] : json::object();
  data["status"] = status;
  if (status == "failed") {
    // The server fails a node itself when it refuses the agent (no role matches), and the agent
    // then reports that same refusal: a confirmation, not a second failure. failed -> failed
    // is not a transition, and failing again would hand back the allocation twice.
    if (n.state == NodeState::failed) {
      (void)inv_.record_event(n.id, phase, "confirm", "the agent confirmed: " + message, data);
      return json{{"ok", true}};
    }
    fail_node(n, phase, message);
    return json{{"ok", true}};
  }
  if (phase == "deployed" && status == "done") {
    auto moved = inv_.transition(n.id, NodeState::deployed, "deployed", message, data);
    if (!moved) return conflict(moved.error());
    if (selector_) (void)selector_->deployed(n.name);
    asio::co_spawn(io_, boot_from_disk(n.id), asio::detached);
    return json{{"ok", true}};
  }
  (void)inv_.record_event(n.id, phase, status, message, data);
  return json{{"ok", true}};
}

ApiResult<json> Provisioner::agent_config(const Node& n, const std::string& token) {
  deploy::NodeConfigInput in;
  in.node = n.name;
  in.role = n.role;
  in.allocation = n.allocation;
  in.variables = n.variables;
  in.boot_mac = n.mac.value_or("");
  in.ssh_authorized_keys = cfg_.ssh_keys;
  in.server_url = cfg_.server_url;
  in.node_token = token;
  auto files = deploy::render_node_config(in);
  if (!files) {
    fail_node(n, "config", files.error().message());
    return ApiError{409, files.error().message()};
  }
  json out = {{"files", json::object()}};
  for (auto& [path, f] : *files) out["files"][path] = {{"content", f.content}, {"mode", f.mode}};
  return out;
}

ApiResult<json> Provisioner::agent_callback(const Node& n, const json& body) {
  auto hostname_f = text_field(body, "hostname"), role_f = text_field(body, "role");
  if (!hostname_f || !role_f) return ApiError{400, "hostname and role must be strings"};
  std::string hostname = *hostname_f, role = *role_f;
  if (n.state == NodeState::configured) {
    (void)inv_.record_event(n.id, "handoff", "log", "callback again from " + hostname);
    return json{{"ok", true}};
  }
  auto moved = inv_.transition(n.id, NodeState::configured, "handoff",
                               "first boot called back as " + hostname + " (" + role + ")",
                               json{{"hostname", hostname}, {"role", role}});
  if (!moved) return conflict(moved.error());
  return json{{"ok", true}};
}

}  // namespace ingot::server
