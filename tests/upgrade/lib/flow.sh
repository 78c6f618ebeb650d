# Steps of the QEMU upgrade test (sourced by upgrade.sh after lib/provision.sh): what the
# pieces under test must offer, consoles and upgrade events waited on, power through the BMC,
# disks checked against manifests.
#   upg_require                         fail at once naming every missing piece
#   upg_mark NAME / upg_wait_console NAME REGEX TIMEOUT [FROM_LINE]
#   upg_event_mark / upg_wait_upgrade NAME STATUS TIMEOUT AFTER_ID
#   upg_power NAME on|off               IPMI power through the machine's own BMC
#   upg_inspect NAME TAG V...           the disk is exactly one of the versions V (UPG_CLEAN)
#   upg_same_kept NAME TAG_A TAG_B      keep-list and node-config files identical

# Files saved at each inspection: keep-list paths, the image ref, the engine's journal (plus the
# node-config files node-config.list names: lib/inspect_root.sh).
UPG_SAVE="/etc/hostname /var/lib/tiny/node-id /var/lib/ingot/image/ref /var/lib/ingot/node-config.list
  /var/lib/ingot/upgrade/journal.json"
# Terminal statuses of one upgrade (the agent's, and the server's own for an upgrade it gave up on).
UPG_TERMINAL="done failed rolled_back timed_out cancelled"

upg_require() {
  local missing=() agent=${INGOT_AGENT_BIN:-$(dirname "$INGOT_BIN")/ingot-agent} commands
  "$agent" upgrade --help >/dev/null 2>&1 || [[ $("$agent" 2>&1 || true) == *upgrade* ]] ||
    missing+=("ingot-agent upgrade (node side, upgnode)")
  commands=$("$INGOT_BIN" 2>&1 || true)
  grep -qE '^  rollout start' <<<"$commands" || missing+=("ingot rollout start|show (server CLI, upgsrv)")
  grep -qE '^  node upgrade' <<<"$commands" || missing+=("ingot node upgrade (server CLI, upgsrv)")
  ((${#missing[@]} == 0)) && return 0
  local m
  for m in "${missing[@]}"; do echo "e2e: MISSING: $m" >&2; done
  [[ -n ${UPG_SCAFFOLD:-} ]] && return 0
  e2e_die "MISSING pieces of issue 8, see above (UPG_SCAFFOLD=1 runs the deploy + v1 part alone)"
}

upg_mark() { local n; n=$(wc -l <"$E2E_DIR/$1.log" 2>/dev/null) || n=0; echo "$n"; }

# upg_wait_console NAME REGEX TIMEOUT_S [FROM_LINE]: REGEX on NAME's console after line FROM_LINE.
upg_wait_console() {
  local name=$1 re=$2 deadline=$((SECONDS + $3)) from=${4:-0}
  while ((SECONDS < deadline)); do
    tail -n "+$((from + 1))" "$E2E_DIR/$name.log" 2>/dev/null | grep -qaE -- "$re" && return 0
    sleep 0.3
  done
  echo "e2e: no /$re/ on $name's console within $3 s" >&2
  return 1
}

upg_event_mark() {
  prov_ingot node events --json 2>>"$E2E_DIR/cli.log" |
    python3 -c 'import json, sys; print(max([json.loads(l)["id"] for l in sys.stdin if l.strip()] or [0]))'
}

# upg_events NAME AFTER_ID: "ID KIND MESSAGE" of NAME's upgrade events after AFTER_ID.
upg_events() {
  prov_ingot node events "$1" --after "$2" --json 2>>"$E2E_DIR/cli.log" | python3 -c '
import json, sys
for l in sys.stdin:
    if not l.strip(): continue
    e = json.loads(l)
    if e.get("phase") == "upgrade":
        print(e["id"], e.get("kind", "-"), (e.get("message") or "").replace("\n", " ")[:160])'
}

# upg_wait_upgrade NAME STATUS TIMEOUT_S AFTER_ID: 0 once NAME reports STATUS after event AFTER_ID;
# 1 when another terminal status comes first, or at the deadline. Prints each event once;
# UPG_STATUS gets the last status seen.
upg_wait_upgrade() {
  local name=$1 want=$2 deadline=$((SECONDS + $3)) after=$4 id kind msg
  UPG_STATUS=""
  while ((SECONDS < deadline)); do
    while read -r id kind msg; do
      [[ -n $id ]] || continue
      after=$id
      UPG_STATUS=$kind
      echo "e2e: [$(e2e_now)] $name: upgrade $kind${msg:+ ($msg)}"
      [[ $kind == "$want" ]] && return 0
      [[ " $UPG_TERMINAL " == *" $kind "* ]] && { echo "e2e: $name: $kind, wanted $want" >&2; return 1; }
    done < <(upg_events "$name" "$after" || true)
    sleep 1
  done
  echo "e2e: $name did not report '$want' within $3 s (last: ${UPG_STATUS:-nothing})" >&2
  return 1
}

upg_power() {
  prov_ingot power --bmc "${PROV_BMC_URL[$1]}" "$2" >>"$E2E_DIR/cli.log" 2>&1 || prov_fail "IPMI power $2 of $1 failed"
}

# upg_inspect NAME TAG V...: with the machine off, its disk against tiny@V for each V in turn;
# 0 as soon as one matches exactly (UPG_CLEAN=V; saved files in $E2E_DIR/saved-NAME-TAG),
# 1 when it is none of them (a mix), every difference list printed.
upg_inspect() {
  local name=$1 tag=$2 v out=$E2E_DIR/inspect-$1
  shift 2
  UPG_CLEAN=""
  for v in "$@"; do
    rm -rf "$out"
    if INSPECT_REPLAY=1 INSPECT_SAVE=$UPG_SAVE prov_inspect_disk "$name" "$E2E_DIR/tiny-$v.manifest.json" 2>>"$E2E_DIR/inspect.log"; then
      UPG_CLEAN=$v
      rm -rf "$E2E_DIR/saved-$name-$tag"
      mv "$out/saved" "$E2E_DIR/saved-$name-$tag"
      echo "e2e: $name ($tag): the disk is exactly tiny@$v (+ its keep list and node config)"
      return 0
    fi
    cp "$out/tree-diff" "$E2E_DIR/diff-$name-$tag-v$v" 2>/dev/null || true
  done
  for v in "$@"; do
    echo "e2e: $name ($tag): differences from tiny@$v:" >&2
    head -n 25 "$E2E_DIR/diff-$name-$tag-v$v" >&2 2>/dev/null || true
  done
  return 1
}

# upg_same_kept NAME TAG_A TAG_B: the keep-list and node-config files saved at two inspections are
# identical (the image ref and the engine's state, var/lib/ingot/upgrade/, may differ).
upg_same_kept() {
  local a=$E2E_DIR/saved-$1-$2 b=$E2E_DIR/saved-$1-$3
  [[ -s $a/var/lib/ingot/node-config.list ]] || { echo "e2e: $1: no var/lib/ingot/node-config.list on the disk" >&2; return 1; }
  [[ -s $a/etc/hostname && -s $a/var/lib/tiny/node-id ]] || { echo "e2e: $1: keep-list files missing at $2" >&2; return 1; }
  diff -r -x ref -x upgrade "$a" "$b" >&2
}

# upg_ref NAME TAG: the image ref the node recorded (var/lib/ingot/image/ref) at inspection TAG.
upg_ref() { cat "$E2E_DIR/saved-$1-$2/var/lib/ingot/image/ref" 2>/dev/null || echo "(none)"; }

# upg_rollout_start ARGS...: `ingot rollout start ARGS --json`; UPG_ROLLOUT gets its id.
upg_rollout_start() {
  local out
  out=$(prov_ingot rollout start "$@" --json 2>&1) || prov_fail "ingot rollout start $* failed: $out"
  echo "$out" >>"$E2E_DIR/cli.log"
  UPG_ROLLOUT=$(python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(d.get("id") or d["rollout"]["id"])' "$out") ||
    prov_fail "ingot rollout start printed no rollout id: $out"
}

# upg_rollout_wait ID STATE TIMEOUT_S: 0 once the rollout is in STATE; 1 if it reaches another
# final state (done, stopped, aborted) first or at the deadline. UPG_ROLLOUT_JSON: its last show.
upg_rollout_wait() {
  local id=$1 want=$2 deadline=$((SECONDS + $3)) state last=""
  while ((SECONDS < deadline)); do
    UPG_ROLLOUT_JSON=$(prov_ingot rollout show "$id" --json 2>>"$E2E_DIR/cli.log" || true)
    state=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["state"])' "$UPG_ROLLOUT_JSON" 2>/dev/null || echo "?")
    [[ $state == "$last" ]] || { echo "e2e: [$(e2e_now)] rollout $id: $state"; last=$state; }
    [[ $state == "$want" ]] && return 0
    [[ " done stopped aborted " == *" $state "* ]] && return 1
    sleep 1
  done
  return 1
}

# upg_rollout_summary: the last rollout show in a few lines (state, reason, its events).
upg_rollout_summary() {
  python3 -c '
import json, sys
try:
    d = json.loads(sys.argv[1])
except ValueError:
    print(sys.argv[1][:400]); sys.exit()
print("state %s (%s)" % (d.get("state"), d.get("reason") or "-"))
for e in d.get("events", []):
    print("  %-8s %-10s %s" % (e.get("node") or "rollout", e.get("kind"), (e.get("message") or "")[:150]))' "${UPG_ROLLOUT_JSON:-}"
}

# upg_rollout_nodes: "NODE STATUS SEQ" of the last rollout show, canary first.
upg_rollout_nodes() {
  python3 -c '
import json, sys
d = json.loads(sys.argv[1])
for n in sorted(d.get("nodes", []), key=lambda n: n.get("seq", 0)):
    print(n["node"], n.get("status") or "-", n.get("seq", 0))' "$UPG_ROLLOUT_JSON"
}

# upg_polling NAME...: every node's agent has asked the server for an upgrade (server log).
upg_polling() {
  local n ip
  for n in "$@"; do
    ip=$(prov_ingot node show "$n" --json 2>>"$E2E_DIR/cli.log" |
      python3 -c 'import json, sys; d = json.load(sys.stdin); a = d.get("allocation") or {}; print(str(a.get("ip", "")).split("/")[0])')
    [[ -n $ip ]] || return 1
    grep -qaE " $ip:[0-9]+ GET /api/v1/agent/upgrade " "$E2E_DIR/server.log" || return 1
  done
}

# upg_dry_run_ok JSON REBOOT: a rollout dry run over both nodes, each with files added, changed
# and removed, bytes to transfer, and reboot = REBOOT (true|false).
upg_dry_run_ok() {
  python3 -c '
import json, sys
d, reboot = json.loads(sys.argv[1]), sys.argv[2] == "true"
nodes = d.get("nodes", [])
for n in nodes:
    p = n.get("plan", {})
    print("e2e: dry run %s: +%s ~%s -%s, %s bytes, reboot %s" % (n.get("node"), p.get("added"), p.get("changed"),
          p.get("removed"), p.get("bytes"), p.get("reboot")))
ok = len(nodes) == 2 and all(n["plan"]["added"] > 0 and n["plan"]["changed"] > 0 and n["plan"]["bytes"] > 0 and
                             n["plan"]["reboot"] == reboot for n in nodes)
sys.exit(0 if ok else 1)' "$1" "$2"
}

# upg_done_data NAME AFTER_ID: the data of NAME's first "done" report after AFTER_ID (JSON).
upg_done_data() {
  prov_ingot node events "$1" --after "$2" --json 2>>"$E2E_DIR/cli.log" | python3 -c '
import json, sys
for l in sys.stdin:
    e = json.loads(l) if l.strip() else {}
    if e.get("phase") == "upgrade" and e.get("kind") == "done":
        print(json.dumps(e.get("data") or {})); break
else:
    print("{}")'
}
