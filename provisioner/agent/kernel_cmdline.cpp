#include "provisioner/agent/kernel_cmdline.h"

namespace ingot::agent {

Result<std::map<std::string, std::string>> parse_cmdline(std::string_view text) {
  if (text.size() > kMaxCmdline) return fail("kernel command line longer than " + std::to_string(kMaxCmdline) + " bytes");
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size()) break;
    std::string word;
    bool quoted = false;
    std::size_t start = i;
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (c == '"') {
        quoted = !quoted;
        continue;
      }
      if (!quoted && is_space(c)) break;
      if (c == '\0') return fail("kernel command line: NUL byte at offset " + std::to_string(i));
      word.push_back(c);
    }
    if (quoted) return fail("kernel command line: unterminated quote starting at offset " + std::to_string(start));
    auto eq = word.find('=');
    if (eq == std::string::npos) {
      out[word] = "";
    } else {
      out[word.substr(0, eq)] = word.substr(eq + 1);
    }
  }
  return out;
}

Result<AgentBoot> agent_boot_from_cmdline(std::string_view text) {
  auto params = parse_cmdline(text);
  if (!params) return fail(params.error());
  AgentBoot b;
  auto it = params->find("ingot.server");
  if (it == params->end() || it->second.empty()) return fail("kernel command line has no ingot.server=URL");
  b.server = it->second;
  if (b.server.size() > kMaxUrlLength) return fail("ingot.server: URL longer than " + std::to_string(kMaxUrlLength));
  if (b.server.rfind("http://", 0) != 0 && b.server.rfind("https://", 0) != 0)
    return fail("ingot.server: '" + b.server + "' is not an http:// or https:// URL");
  while (!b.server.empty() && b.server.back() == '/') b.server.pop_back();

  it = params->find("ingot.token");
  if (it == params->end() || it->second.empty()) return fail("kernel command line has no ingot.token");
  if (it->second.size() > kMaxTokenLength) return fail("ingot.token: longer than " + std::to_string(kMaxTokenLength));
  for (char c : it->second)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return fail("ingot.token: not lowercase hex");
  b.token = it->second;

  if (auto m = params->find("ingot.mode"); m != params->end()) {
    if (m->second != "inspect" && m->second != "deploy")
      return fail("ingot.mode: '" + m->second + "' is not inspect or deploy");
    b.mode = m->second;
  }
  if (auto d = params->find("ingot.debug"); d != params->end()) b.debug = d->second.empty() || d->second == "1";
  return b;
}

}  // namespace ingot::agent
