#!/bin/bash
# Secrets at rest: the state directory is 0700; the database (and its WAL), the admin token and
# the secret key are 0600 from creation; no BMC password appears in clear in any file under it,
# while the server still reaches the BMC with it (ipmi_sim; the CLI read it from a file or
# stdin, never argv); a password an older version stored
# in clear is sealed at the next start.
set -u
work=$(mktemp -d /tmp/ingot-api-secrets.$$.XXXXXX)
source "$INGOT_SOURCE_DIR/tests/provisioner/api_lib.sh"
pass='Rest-S3cret-pw'
start_bmc "$pass"
state=$work/state
start_server "$state" || exit 1
# The password from a file, not argv (where every `ps` would show it).
printf '%s\n' "$pass" >"$work/bmc.pass"
"$ingot" node add sec-1 --mac 52:54:00:5e:c0:01 --bmc "ipmi://admin@127.0.0.1:$bmc_port" --bmc-password-file "$work/bmc.pass" >/dev/null
check "a password on stdin works too" eq "$(printf '%s\n' "$pass" | "$ingot" node add sec-2 --bmc "ipmi://admin@127.0.0.1:$bmc_port" --bmc-password-stdin)" "enrolled sec-2"
check "sec-2's BMC answers with it" eq "$("$ingot" node power sec-2 status)" "sec-2: power off"
check "the server still opens the BMC with it" eq "$("$ingot" node power sec-1 status)" "sec-1: power off"
mode() { stat -c %a "$1"; }
check "state dir 0700" eq "$(mode "$state")" 700
for f in ingot.db ingot.db-wal admin.token secret.key; do
  check "$f 0600" eq "$(mode "$state/$f")" 600
done
check "no clear password under the state dir" eq "$(grep -rla -- "$pass" "$state" | wc -l)" 0
check "nor a password in the API" lacks "$(status_of GET /api/v1/nodes/sec-1 "$INGOT_TOKEN"; cat "$work/body")" "$pass"

# An older server's database: a password in clear, sealed at the next start.
stop_server
chmod 755 "$state"  # as an older version left it
legacy='Legacy-Clear-pw'
sqlite3 "$state/ingot.db" "UPDATE nodes SET bmc_password = '$legacy' WHERE name = 'sec-1';"
check "the legacy password is in clear before the start" test "$(grep -rla -- "$legacy" "$state" | wc -l)" -gt 0
start_server "$state" || exit 1
check "sealed at start: no clear legacy password" eq "$(grep -rla -- "$legacy" "$state" | wc -l)" 0
check "the state dir is made 0700 again" eq "$(mode "$state")" 700
finish
