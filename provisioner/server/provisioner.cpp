#include "provisioner/server/provisioner.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/log.h"
#include "hwmatch/role_loader.h"
#include "imagebuilder/object_store.h"
#include "provisioner/server/json_fields.h"
#include "provisioner/server/upgrade_coordinator.h"
#include "provisioner/store/schema.h"

namespace ingot::server {
namespace fs = std::filesystem;
using inventory::Node;
using inventory::NodeState;
using nlohmann::json;

namespace {

std::optional<std::string> read_small(const fs::path& p) {
  std::ifstream in(p);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// roles/<role>/deploy.json: {"image": "compute@3", "layout": [...], "cmdline": "...", "disk": "sda"}
Result<RoleDeploy> parse_role_deploy(const std::string& text, const std::string& file) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail(file + ": not a JSON object");
  auto image = text_field(j, "image"), cmdline = text_field(j, "cmdline"), disk = text_field(j, "disk");
  if (!image || !cmdline || !disk) return fail(file + ": image, cmdline and disk must be strings");
  RoleDeploy d;
  d.image = *image;
  d.cmdline = *cmdline;
  d.disk = *disk;
  d.layout = j.contains("layout") ? j["layout"] : json();
  return d;
}

// POST /api/v1/nodes: {name, mac?, bmc?, bmc_password?}. The BMC password is kept apart from the address.
Result<inventory::NewNode> parse_new_node(const json& body) {
  if (!body.is_object()) return refuse(ServerError::bad_request, "expected a JSON object {name, mac?, bmc?}");
  inventory::NewNode nn;
  auto name = text_field(body, "name");
  if (!name) return refuse(ServerError::bad_request, "name must be a string");
  nn.name = *name;
  if (body.contains("mac") && body["mac"].is_string()) {
    auto mac = pxe::MacAddress::parse(body["mac"].get<std::string>());
    if (!mac) return refuse(ServerError::bad_request, "mac: '" + body["mac"].get<std::string>() + "' is not a MAC address");
    nn.mac = mac->to_string();
  }
  if (body.contains("bmc") && body["bmc"].is_string()) {
    auto bmc = power::parse_bmc_address(body["bmc"].get<std::string>());
    if (!bmc) return refuse(ServerError::bad_request, "bmc: " + bmc.error().message());
    nn.bmc = "ipmi://" + bmc->user + "@" + bmc->endpoint();
    if (bmc->has_password) nn.bmc_password = bmc->password;
  }
  auto password = text_field(body, "bmc_password");  // apart from the URL: the CLI reads it from a file
  if (!password) return refuse(ServerError::bad_request, "bmc_password must be a string");
  if (!password->empty()) {
    if (!nn.bmc) return refuse(ServerError::bad_request, "bmc_password without a bmc address");
    nn.bmc_password = *password;
  }
  return nn;
}

}  // namespace

Provisioner::Provisioner(asio::io_context& io, ServerConfig cfg, store::Db db, inventory::Inventory inv,
                         power::PowerDriverFactory factory)
    : io_(io), cfg_(std::move(cfg)), db_(std::move(db)), inv_(std::move(inv)), assignments_(db_) {
  boot::RamdiskConfig rc;
  rc.kernel = "ingot/ramdisk/vmlinuz";
  rc.initrd = "ingot/ramdisk/initrd.img";
  rc.server_url = cfg_.server_url;
  rc.extra_cmdline = cfg_.ramdisk_cmdline;
  policy_ = std::make_unique<boot::ProvisionerPolicy>(inv_, rc, cfg_.discovery);
  power_ = std::make_unique<power::PowerService>(io_.get_executor(), std::move(factory));
}

Provisioner::~Provisioner() = default;

Result<std::unique_ptr<Provisioner>> Provisioner::open(asio::io_context& io, ServerConfig cfg,
                                                       power::PowerDriverFactory factory) {
  std::error_code ec;
  fs::create_directories(cfg.state_dir, ec);
  if (ec) return fail(ec, "state directory " + cfg.state_dir.string());
  // Private from the start: tokens, the secret key and the database hold what an attacker on
  // the machine wants (0700 also fixes a state directory an older version made 0755).
  fs::permissions(cfg.state_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) return fail(ec, "state directory " + cfg.state_dir.string() + ": cannot make it 0700");
  auto secrets = inventory::SecretBox::open_or_create(cfg.state_dir / inventory::kSecretKeyFile);
  if (!secrets) return fail(secrets.error());
  auto db = store::Db::open(cfg.state_dir / "ingot.db");
  if (!db) return fail(db.error());
  auto inv = inventory::Inventory::open(*db, std::make_shared<const inventory::SecretBox>(std::move(*secrets)));
  if (!inv) return fail(inv.error());
  if (cfg.image_store.empty()) cfg.image_store = cfg.state_dir / "images";
  std::unique_ptr<Provisioner> p(new Provisioner(io, std::move(cfg), *db, std::move(*inv), std::move(factory)));
  if (auto r = p->load_roles(); !r) return fail(r.error());
  std::int64_t timeout_s = p->cfg_.upgrade_report_timeout_s > 0 ? p->cfg_.upgrade_report_timeout_s : kDefaultUpgradeReportTimeoutS;
  Provisioner* self = p.get();
  p->upgrades_ = std::make_unique<UpgradeCoordinator>(
      p->inv_, rollout::RolloutStore(p->db_), p->cfg_.image_store, timeout_s * 1000,
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
      auto parsed = parse_role_deploy(*text, (dir / "deploy.json").string());
      if (!parsed) return fail(parsed.error());
      d = std::move(*parsed);
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

void Provisioner::start_sweeps() { asio::co_spawn(io_, sweep_loop(), asio::detached); }

asio::awaitable<void> Provisioner::sweep_loop() {
  // Often enough that a timeout is noticed within a quarter of it, at most every 5 s.
  std::int64_t shortest = std::min(upgrades_->report_timeout_ms(), cfg_.reservation_ttl_s * 1000);
  auto period = std::chrono::milliseconds(std::clamp<std::int64_t>(shortest / 4, 250, 5000));
  asio::steady_timer timer(io_);
  for (;;) {
    upgrades_->sweep();
    if (auto r = expire_reservations(inventory::now_ms() / 1000); !r)
      INGOT_LOG(error, "server") << "reservation sweep: " << r.error().message();
    timer.expires_after(period);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

Result<std::size_t> Provisioner::expire_reservations(std::int64_t now_s) {
  if (!selector_ || cfg_.reservation_ttl_s <= 0) return std::size_t{0};
  std::size_t released = 0;
  auto r = db_.transaction([&]() -> Result<void> {
    auto expired = selector_->expire(now_s, cfg_.reservation_ttl_s);
    if (!expired) return fail(expired.error());
    for (const auto& a : *expired) {
      auto found = inv_.find_by_name(a.node);
      if (!found) return fail(found.error());
      ++released;
      if (!*found) continue;
      const Node& n = **found;
      std::string why = "role " + a.role + " reserved " + std::to_string(now_s - a.since) + " s ago and no deploy finished within " +
                        std::to_string(cfg_.reservation_ttl_s) + " s (--reservation-ttl): the slot is free again";
      if (n.state == NodeState::deploying) {
        if (auto f = fail_node(n, "match", why); !f) return f;
        continue;
      }
      if (auto c = release_allocation(n); !c) return c;
      if (auto e = inv_.record_event(n.id, "match", "log", why); !e) return fail(e.error());
    }
    return ok();
  });
  if (!r) return fail(r.error());
  if (released) INGOT_LOG(info, "server") << "released " << released << " expired reservation(s)";
  return released;
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

Result<void> Provisioner::fail_node(const Node& n, const std::string& phase, const std::string& why) {
  auto r = db_.transaction([&]() -> Result<void> {
    auto moved = inv_.transition(n.id, NodeState::failed, phase, why);
    if (!moved) return fail(as_conflict(moved.error()));
    return release_allocation(n);
  });
  if (!r) return r;
  INGOT_LOG(warn, "server") << n.name << " failed in " << phase << ": " << why;
  return ok();
}

void Provisioner::fail_node_logged(const Node& n, const std::string& phase, const std::string& why) {
  if (auto r = fail_node(n, phase, why); !r)
    INGOT_LOG(error, "server") << n.name << ": cannot record its failure in " << phase << " (" << why
                               << "): " << r.error().message();
}

void Provisioner::note(std::int64_t node_id, const std::string& phase, const std::string& kind, const std::string& message) {
  if (auto r = inv_.record_event(node_id, phase, kind, message); !r)
    INGOT_LOG(error, "server") << "node " << node_id << ": cannot record '" << message << "': " << r.error().message();
}

Result<void> Provisioner::release_allocation(const Node& n) {
  if (!selector_) return ok();
  return db_.transaction([&]() -> Result<void> {
    if (auto r = selector_->failed(n.name); !r) return r;
    auto cur = inv_.get(n.id);
    if (!cur) return fail(cur.error());
    if (!*cur || (*cur)->allocation.empty()) return ok();
    return inv_.set_match(n.id, (*cur)->role, json::object(), (*cur)->variables);
  });
}

Result<Node> Provisioner::node(const std::string& name) {
  auto n = inv_.find_by_name(name);
  if (!n) return fail(n.error());
  if (!*n) return refuse(ServerError::not_found, "no node named '" + name + "'");
  return **n;
}

Result<Node> Provisioner::enrol(const json& body) {
  auto nn = parse_new_node(body);
  if (!nn) return fail(nn.error());
  auto added = inv_.add_node(*nn);
  if (!added) {
    if (store::is_constraint_violation(added.error())) return refuse(ServerError::conflict, added.error().message());
    if (added.error().code == std::errc::invalid_argument) return refuse(ServerError::bad_request, added.error().message());
    return fail(added.error());
  }
  return *added;
}

Result<Node> Provisioner::request_deploy(const std::string& name) {
  auto found = node(name);
  if (!found) return fail(found.error());
  Node n = *found;
  if (n.state == NodeState::retired) return refuse(ServerError::conflict, "node " + name + " is retired: enrol it again first");
  auto written = db_.transaction([&]() -> Result<void> {
    if (n.state == NodeState::deployed || n.state == NodeState::configured || n.state == NodeState::failed ||
        n.state == NodeState::matched) {
      auto moved = inv_.transition(n.id, NodeState::inspecting, "deploy", "deploy requested by the operator");
      if (!moved) return fail(as_conflict(moved.error()));
      n = *moved;
    }
    if (auto r = inv_.set_goal(n.id, "deploy"); !r) return r;
    if (auto r = upgrades_->cancel_node(n, "the node is being redeployed"); !r) return r;
    auto ev = inv_.record_event(n.id, "deploy", "log", "deploy requested");
    return ev ? ok() : fail(ev.error());
  });
  if (!written) return fail(written.error());
  policy_->forget_token(n);
  if (n.bmc) {
    asio::co_spawn(
        io_,
        [this, id = n.id]() -> asio::awaitable<void> {
          auto r = co_await pxe_power_on(id);
          if (!r) {
            auto cur = inv_.get(id);
            if (cur && cur->has_value()) fail_node_logged(**cur, "power", r.error().message());
          }
        },
        asio::detached);
  }
  return node(name);
}

Result<Node> Provisioner::retire(const std::string& name) {
  auto found = node(name);
  if (!found) return fail(found.error());
  const Node n = *found;
  auto written = db_.transaction([&]() -> Result<void> {
    auto moved = inv_.transition(n.id, NodeState::retired, "retire", "retired by the operator");
    if (!moved) return fail(as_conflict(moved.error()));
    if (auto r = release_allocation(n); !r) return r;
    return upgrades_->cancel_node(n, "the node is retired");
  });
  if (!written) return fail(written.error());
  policy_->forget_token(n);
  return node(name);
}

}  // namespace ingot::server
