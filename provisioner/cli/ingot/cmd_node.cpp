// `ingot node ...` and `ingot role list`: the operator's view of the fleet through the REST API.
// The server is found from INGOT_URL and INGOT_TOKEN (or --url/--token), as OpenStack clients
// use OS_*; output is a table, or JSON with --json.
#include <chrono>
#include <fstream>
#include <optional>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <thread>

#include "common/cli.h"
#include "provisioner/cli/ingot/api_client.h"

namespace {
using nlohmann::json;
using ingot::cli::Args;
using ingot::cli::Flags;
using namespace ingot::cli;

void print_event(const json& e) {
  std::cout << time_of(e.value("ts_ms", 0LL)) << "  " << std::left << std::setw(14) << e.value("node", "") << std::setw(11)
            << e.value("phase", "") << std::setw(9) << e.value("kind", "") << e.value("message", "") << "\n";
}

// connect() for a command that takes exactly `count` arguments; with another number, its usage
// line is printed. nullopt: exit 2.
std::optional<Conn> connect_taking(const Flags& f, const char* cmd, std::size_t count, const std::string& usage) {
  auto c = connect(f, cmd);
  if (!c) return std::nullopt;
  if (f.positional().size() != count) {
    std::cerr << "usage: " << usage << "\n";
    return std::nullopt;
  }
  return c;
}

// A text field as a table cell, "-" also when empty (a node without a role, a role without an image).
std::string cell_or_dash(const json& j, const char* key) {
  return j[key].get<std::string>().empty() ? "-" : cell(j, key);
}

// `ingot node list` and `ingot role list`: GET `path`, printed as is with --json, else as a table
// with `head` and one row per element.
int list_command(const Args& a, const char* cmd, const char* path, const std::vector<std::string>& head,
                 std::vector<std::string> (*row)(const json&)) {
  Flags f(a, with_conn({}), {"json"});
  auto c = connect(f, cmd);
  if (!c) return 2;
  auto r = c->client->get_json(path);
  if (report(r, cmd)) return 1;
  if (c->json_out) {
    std::cout << r->dump(2) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (auto& x : *r) rows.push_back(row(x));
  print_table(head, rows);
  return 0;
}

std::vector<std::string> node_row(const json& n) {
  std::string host = n["allocation"].contains("hostname") ? cell(n["allocation"], "hostname") : "-";
  return {cell(n, "name"), cell(n, "state"), cell(n, "phase"), cell_or_dash(n, "role"),
          host,            cell(n, "image"), cell(n, "mac"),   cell(n, "bmc")};
}

int node_list(const Args& a) {
  return list_command(a, "node list", "/api/v1/nodes",
                      {"NAME", "STATE", "PHASE", "ROLE", "HOSTNAME", "IMAGE", "MAC", "BMC"}, node_row);
}

int node_show(const Args& a) {
  Flags f(a, with_conn({}), {"json"});
  auto c = connect_taking(f, "node show", 1, "ingot node show NAME [--json]");
  if (!c) return 2;
  auto r = c->client->get_json("/api/v1/nodes/" + f.positional()[0]);
  if (report(r, "node show")) return 1;
  if (c->json_out) {
    std::cout << r->dump(2) << "\n";
    return 0;
  }
  const json& n = *r;
  std::cout << "name:       " << cell(n, "name") << "\nstate:      " << cell(n, "state") << " (phase "
            << cell(n, "phase") << ")\n";
  if (n.contains("failure")) std::cout << "failure:    " << n["failure"].get<std::string>() << "\n";
  std::cout << "role:       " << cell(n, "role") << "\nimage:      " << cell(n, "image") << "\nallocation: " << n["allocation"].dump() << "\nvariables:  "
            << n["variables"].dump() << "\nmac:        " << cell(n, "mac") << "\nbmc:        " << cell(n, "bmc")
            << "\nfacts:      " << n["facts"].size() << " tuples\n\ntimeline:\n";
  std::int64_t start = 0;
  for (auto& e : n["timeline"]) {
    std::int64_t ts = e.value("ts_ms", 0LL);
    if (!start) start = ts;
    std::cout << "  +" << std::right << std::fixed << std::setprecision(1) << std::setw(7) << (ts - start) / 1000.0 << "s  "
              << std::left << std::setw(11) << e.value("phase", "") << std::setw(9) << e.value("kind", "")
              << e.value("message", "") << "\n";
  }
  return 0;
}

int node_add(const Args& a) {
  Flags f(a, with_conn({"bmc", "mac", "bmc-password-file"}), {"json", "bmc-password-stdin"});
  auto c = connect_taking(f, "node add", 1,
                          "ingot node add NAME [--bmc ipmi://USER@HOST[:PORT] --bmc-password-file F|--bmc-password-stdin] [--mac MAC]");
  if (!c) return 2;
  json body = {{"name", f.positional()[0]}};
  if (auto m = f.get("mac")) body["mac"] = *m;
  if (auto b = f.get("bmc")) body["bmc"] = *b;
  // A password on the command line is in every `ps` and shell history: read it from a file or
  // stdin (its first line) instead.
  std::optional<std::string> password;
  if (auto file = f.get("bmc-password-file")) {
    std::ifstream in(*file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      std::cerr << "ingot node add: --bmc-password-file " << *file << ": cannot read a line\n";
      return 2;
    }
    password = line;
  } else if (f.has("bmc-password-stdin")) {
    std::string line;
    if (!std::getline(std::cin, line)) {
      std::cerr << "ingot node add: --bmc-password-stdin: no line on stdin\n";
      return 2;
    }
    password = line;
  }
  if (password) body["bmc_password"] = *password;
  auto r = c->client->post_json("/api/v1/nodes", body);
  if (report(r, "node add")) return 1;
  if (c->json_out) std::cout << r->dump(2) << "\n";
  else std::cout << "enrolled " << cell(*r, "name") << "\n";
  return 0;
}

int follow(ingot::ServerClient& client, const std::string& name, int timeout_s) {
  std::int64_t after = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  if (auto all = client.get_json("/api/v1/events"); all && !all->empty()) after = all->back().value("id", 0LL);
  while (std::chrono::steady_clock::now() < deadline) {
    auto evs = client.get_json("/api/v1/events?after=" + std::to_string(after));
    if (evs) {
      for (auto& e : *evs) {
        after = e.value("id", after);
        if (e.value("node", "") == name) print_event(e);
      }
    }
    auto n = client.get_json("/api/v1/nodes/" + name);
    if (n) {
      std::string st = n->value("state", "");
      if (st == "configured") return 0;
      if (st == "failed") {
        std::cerr << "ingot: " << name << " failed in " << n->value("phase", "") << ": " << n->value("failure", "") << "\n";
        return 1;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  std::cerr << "ingot: gave up following " << name << " after " << timeout_s << " s\n";
  return 1;
}

int node_deploy(const Args& a) {
  Flags f(a, with_conn({"timeout"}), {"json", "follow"});
  auto c = connect(f, "node deploy");
  if (!c) return 2;
  if (f.positional().empty()) {
    std::cerr << "usage: ingot node deploy NAME... [--follow [--timeout S]]\n";
    return 2;
  }
  int rc = 0;
  for (auto& name : f.positional()) {
    auto r = c->client->post_json("/api/v1/nodes/" + name + "/deploy", json::object());
    if (report(r, "node deploy")) {
      rc = 1;
      continue;
    }
    std::cout << "deploying " << name << " (" << cell(*r, "state") << ")\n";
  }
  if (rc == 0 && f.has("follow") && f.positional().size() == 1)
    rc = follow(*c->client, f.positional()[0], std::stoi(f.get_or("timeout", "900")));
  return rc;
}

int node_power(const Args& a) {
  Flags f(a, with_conn({}), {"json"});
  auto c = connect_taking(f, "node power", 2, "ingot node power NAME on|off|cycle|reset|soft|status");
  if (!c) return 2;
  auto r = c->client->post_json("/api/v1/nodes/" + f.positional()[0] + "/power", {{"action", f.positional()[1]}});
  if (report(r, "node power")) return 1;
  if (r->contains("error")) {
    std::cerr << "ingot node power: " << (*r)["error"].get<std::string>() << "\n";
    return 1;
  }
  if (c->json_out) std::cout << r->dump(2) << "\n";
  else std::cout << f.positional()[0] << ": power " << cell(*r, "power") << "\n";
  return 0;
}

int node_simple(const Args& a, const char* action) {
  Flags f(a, with_conn({}), {"json"});
  auto c = connect_taking(f, action, 1, "ingot node " + std::string(action) + " NAME");
  if (!c) return 2;
  auto r = c->client->post_json("/api/v1/nodes/" + f.positional()[0] + "/" + action, json::object());
  if (report(r, action)) return 1;
  std::cout << f.positional()[0] << ": " << cell(*r, "state") << "\n";
  return 0;
}

int node_events(const Args& a) {
  Flags f(a, with_conn({"after"}), {"json", "follow"});
  auto c = connect(f, "node events");
  if (!c) return 2;
  std::string only = f.positional().empty() ? "" : f.positional()[0];
  std::int64_t after = std::stoll(f.get_or("after", "0"));
  do {
    auto evs = c->client->get_json("/api/v1/events?after=" + std::to_string(after));
    if (report(evs, "node events")) return 1;
    for (auto& e : *evs) {
      after = e.value("id", after);
      if (!only.empty() && e.value("node", "") != only) continue;
      if (c->json_out) std::cout << e.dump() << "\n";
      else print_event(e);
    }
    if (f.has("follow")) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  } while (f.has("follow"));
  return 0;
}

std::vector<std::string> role_row(const json& x) { return {cell(x, "name"), cell(x, "count"), cell_or_dash(x, "image")}; }

int role_list(const Args& a) { return list_command(a, "role list", "/api/v1/roles", {"ROLE", "COUNT", "IMAGE"}, role_row); }

}  // namespace

INGOT_COMMAND("node list", "list nodes (state, phase, role, hostname)", node_list);
INGOT_COMMAND("node show", "show a node: facts, role, allocation, per-phase timeline", node_show);
INGOT_COMMAND("node add", "enrol a node: NAME --bmc ipmi://USER@HOST[:PORT] --bmc-password-file F|--bmc-password-stdin [--mac MAC]", node_add);
INGOT_COMMAND("node deploy", "deploy nodes (PXE + power on through the BMC); --follow shows progress", node_deploy);
INGOT_COMMAND("node power", "power a node: NAME on|off|cycle|reset|soft|status", node_power);
INGOT_COMMAND("node retire", "retire a node", [](const Args& a) { return node_simple(a, "retire"); });
INGOT_COMMAND("node events", "print the event log (all nodes or one), --follow to stream", node_events);
INGOT_COMMAND("role list", "list roles in selection order", role_list);
