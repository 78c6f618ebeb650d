#!/usr/bin/env bash
# `ingot match` end to end on files: the repo's roles/ classify one example machine per role,
# the eDeploy guide's configuration imports, and bad input gets exit 2 with a precise message.
set -euo pipefail
: "${INGOT_BIN:?}" "${INGOT_SOURCE_DIR:?}"
src=$INGOT_SOURCE_DIR
facts=$src/tests/hwmatch/match_facts
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ingot-match-$$.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
check() {  # check NAME EXPECTED_RC PATTERN -- command...
  local name=$1 want_rc=$2 pattern=$3 rc=0
  shift 4
  "$@" >"$tmp/out" 2>&1 || rc=$?
  if [[ $rc != "$want_rc" ]] || ! grep -qE -- "$pattern" "$tmp/out"; then
    echo "FAIL $name: rc=$rc (want $want_rc), pattern '$pattern' in:"; sed 's/^/  | /' "$tmp/out"; failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

for role in install-server controller network storage compute; do
  check "role $role" 0 "^role: $role\$" -- "$INGOT_BIN" match "$facts/$role.json" "$src/roles"
done
check "bindings and exports shown" 0 '^  \$\$mac = b0:26:28:00:00:01$' -- "$INGOT_BIN" match "$facts/controller.json" "$src/roles"
check "no match exits 1" 1 '^no role matches node serial:TINY-0001$' -- "$INGOT_BIN" match "$facts/tiny.json" "$src/roles"
check "explain names the nearest miss" 1 \
  'network: no match: .*roles/network/hardware.spec:4:1: memory total size ge\(68719476736\): largest memory total size is 8589934592' \
  -- "$INGOT_BIN" match "$facts/tiny.json" "$src/roles" --explain
check "explain lists every role" 1 '^  compute: no match: ' -- "$INGOT_BIN" match "$facts/tiny.json" "$src/roles" --explain

"$INGOT_BIN" match "$facts/storage.json" "$src/roles" --json >"$tmp/json"
python3 - "$tmp/json" <<'PY' && echo "ok   json output" || { echo "FAIL json output"; failures=$((failures + 1)); }
import json, sys
j = json.load(open(sys.argv[1]))
assert j["matched"] is True and j["role"] == "storage", j
assert j["bindings"]["data6"].startswith("sd") and j["exported"] == {"mac": "0c:c4:7a:00:02:01"}, j
assert [r["outcome"] for r in j["roles"]] == ["no match", "no match", "no match", "matched"], j["roles"]
PY

ed=$src/tests/hwmatch/edeploy_example
check "eDeploy: used CMDB entry stays with its MAC" 0 '^  hostname = host001$' -- "$INGOT_BIN" match "$facts/edeploy-vm.json" "$ed"
check "eDeploy: a new VM gets the first free entry" 0 '^  hostname = host002$' -- "$INGOT_BIN" match "$facts/edeploy-vm2.json" "$ed"
check "eDeploy: count 0 is reported" 1 '^  kvm-test: disabled: count is 0$' -- "$INGOT_BIN" match "$facts/tiny.json" "$ed" --explain

check "usage" 2 '^usage: ingot match FACTS.json DIR' -- "$INGOT_BIN" match "$facts/tiny.json"
check "unknown flag" 2 'unknown flag --explian' -- "$INGOT_BIN" match "$facts/tiny.json" "$src/roles" --explian
check "missing facts file" 2 'nope.json: cannot read the file' -- "$INGOT_BIN" match "$tmp/nope.json" "$src/roles"
echo '[["disk","sda","size"]]' >"$tmp/bad.json"
check "bad facts" 2 'bad.json: facts\[0\]: expected \[class, name, key, value\]' -- "$INGOT_BIN" match "$tmp/bad.json" "$src/roles"
check "not a roles dir" 2 "no 'order' file \(ingot roles\) or 'state' file" -- "$INGOT_BIN" match "$facts/tiny.json" "$tmp"

# roles_check NAME RC PATTERN ORDER SPEC [POOLS]: `check` of tiny.json against $tmp/roles with
# that order file, role web's hardware.spec and, when given, its pools.json (printf escapes).
roles_check() {
  mkdir -p "$tmp/roles/web"
  printf '%b' "$4" >"$tmp/roles/order"
  printf '%b' "$5" >"$tmp/roles/web/hardware.spec"
  rm -f "$tmp/roles/web/pools.json"
  [[ -z ${6:-} ]] || printf '%b' "$6" >"$tmp/roles/web/pools.json"
  check "$1" "$2" "$3" -- "$INGOT_BIN" match "$facts/tiny.json" "$tmp/roles"
}
roles_check "bad spec names file:line:col" 2 "roles/web/hardware.spec:2:16: unclosed '\('; add '\)'" \
  'web 2\n' '# web\ndisk $d size gt(10\n'
roles_check "bad count" 2 "roles/order:1:5: count 'two' must be" 'web two\n' 'disk $d size gt(10)\n'
roles_check "role without spec" 2 "roles/order:2:1: role 'api' has no .*api/hardware.spec; create it or remove the line" \
  'web 2\napi *\n' 'disk $d size gt(10)\n'
serial_spec='disk $d size gt(10)\nsystem product serial $$serial\n'
roles_check "pools: allocation printed" 0 '^  hostname = web01$' 'web 2\n' "$serial_spec" \
  '{"hostname": "web01-02", "ip": "198.18.7.10-11"}\n'
roles_check "pools: bad pool file" 2 'web/pools.json' 'web 2\n' "$serial_spec" '{"ip": "198.18.7.300-301"}\n'

printf "generate({'hostname': 'vm01-02', 'ip': '10.0.2.3-4'})\n" >"$tmp/cmdb"
mkdir -p "$tmp/ed" && cp "$src/tests/hwmatch/edeploy_example/vm-centos.specs" "$tmp/ed/" && cp "$tmp/cmdb" "$tmp/ed/vm-centos.cmdb"
printf "[('vm-centos', 1)]\n" >"$tmp/ed/state"
check "eDeploy: synthetic generate() CMDB" 0 '^  hostname = vm01$' -- "$INGOT_BIN" match "$facts/edeploy-vm2.json" "$tmp/ed"

((failures == 0)) || { echo "$failures check(s) failed"; exit 1; }
