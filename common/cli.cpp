#include "common/cli.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace ingot::cli {
namespace {
std::map<std::string, Command>& registry() {
  static std::map<std::string, Command> r;
  return r;
}

void print_help(std::string_view program) {
  std::cout << "usage: " << program << " COMMAND [ARGS]\n\ncommands:\n";
  std::size_t width = 0;
  for (auto& [name, c] : registry()) width = std::max(width, name.size());
  for (auto& [name, c] : registry()) {
    std::cout << "  " << name << std::string(width - name.size() + 2, ' ') << c.summary << "\n";
  }
}
}  // namespace

bool register_command(Command c) {
  std::string key = c.name;
  registry().emplace(std::move(key), std::move(c));
  return true;
}

const std::map<std::string, Command>& commands() { return registry(); }

int dispatch(std::string_view program, int argc, char** argv) {
  Args words(argv + 1, argv + argc);
  if (words.empty() || words[0] == "help" || words[0] == "--help" || words[0] == "-h") {
    print_help(program);
    return words.empty() ? 2 : 0;
  }
  // Longest prefix of words that names a command ("image build" before "image").
  for (std::size_t n = std::min<std::size_t>(words.size(), 3); n > 0; --n) {
    std::string key;
    for (std::size_t i = 0; i < n; ++i) key += (i ? " " : "") + words[i];
    auto it = registry().find(key);
    if (it == registry().end()) continue;
    Args rest(words.begin() + static_cast<long>(n), words.end());
    try {
      return it->second.run(rest);
    } catch (const std::exception& e) {
      std::cerr << program << " " << key << ": " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << program << ": unknown command '" << words[0] << "'\n";
  print_help(program);
  return 2;
}

Flags::Flags(const Args& args, std::vector<std::string> with_value, std::vector<std::string> bools) {
  auto takes_value = [&](const std::string& n) {
    return std::find(with_value.begin(), with_value.end(), n) != with_value.end();
  };
  auto is_bool = [&](const std::string& n) { return std::find(bools.begin(), bools.end(), n) != bools.end(); };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      inline_value = true;
    }
    if (is_bool(name) && !inline_value) {
      values_[name] = "1";
    } else if (takes_value(name)) {
      if (!inline_value) {
        if (i + 1 >= args.size()) {
          error_ = "--" + name + " needs a value";
          return;
        }
        value = args[++i];
      }
      values_[name] = value;
    } else {
      error_ = "unknown flag --" + name;
      return;
    }
  }
}

std::optional<std::string> Flags::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Flags::get_or(const std::string& name, std::string fallback) const {
  auto v = get(name);
  return v ? *v : std::move(fallback);
}

bool Flags::has(const std::string& name) const { return values_.count(name) != 0; }

}  // namespace ingot::cli
