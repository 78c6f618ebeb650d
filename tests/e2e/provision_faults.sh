#!/usr/bin/env bash
# End-to-end provisioning faults (issue 7, acceptance 3), two machines in one run:
#  - "odd" (BIOS, two disks, 512 MiB) matches no test role (storage-test wants 650 MB+ of
#    memory, compute-test one disk): it PXE-boots the deploy ramdisk, posts its facts and must
#    end `failed` at phase `match`, with each role's reason in `ingot node show`.
#  - "lock" is enrolled with a wrong BMC password: its deploy must fail at phase `power` (its
#    machine never powers on) while "odd" proceeds regardless.
set -euo pipefail
source "$(dirname "$0")/lib/e2e.sh"
source "$E2E_LIB/provision.sh"

deadline=${E2E_PROVISION_DEADLINE:-300}

prov_begin faults
e2e_net_up
e2e_ra_responder
prov_state
prov_machine odd "$(e2e_mac 3)" bios 512 2 admin "odd-$$"
prov_machine lock "$(e2e_mac 4)" bios 512 1 admin "lock-$$"
prov_serve
echo "e2e: server $PROV_URL, logs in $E2E_DIR"

wrong=${PROV_BMC_URL[lock]/:lock-$$@/:not-the-password@}
prov_ingot node add odd --bmc "${PROV_BMC_URL[odd]}" --mac "${E2E_VM_MAC[odd]}" || prov_fail "node add odd failed"
prov_ingot node add lock --bmc "$wrong" --mac "${E2E_VM_MAC[lock]}" || prov_fail "node add lock failed"
for name in odd lock; do
  # The deploy request itself may be refused or accepted and fail later: both are the node's failure.
  prov_ingot node deploy "$name" || echo "e2e: ingot node deploy $name returned an error (allowed)"
done
prov_wait_states "$deadline" failed odd lock || prov_fail "both nodes should have ended 'failed' within ${deadline}s"

failures=0
check() {
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}
show_odd=$(prov_ingot node show odd 2>&1 || true)
show_lock=$(prov_ingot node show lock 2>&1 || true)
printf '%s\n' "---- ingot node show odd ----" "$show_odd" "---- ingot node show lock ----" "$show_lock"
check "odd: failed at phase match" grep -qiE "match" <<<"$show_odd"
check "odd: the explanation names both roles" bash -c 'grep -q storage-test <<<"$1" && grep -q compute-test <<<"$1"' _ "$show_odd"
check "odd: it did boot the deploy ramdisk (facts came from the machine)" grep -qa "ingot-ramdisk" "$E2E_DIR/odd.log"
check "lock: failed at phase power" grep -qiE "power" <<<"$show_lock"
check "lock: its machine never powered on" bash -c '! grep -q "set power 1" "$1/chassis.log" 2>/dev/null' _ "${PROV_BMC_DIR[lock]}"
((failures == 0)) || prov_fail "$failures check(s) failed"
echo "e2e: PASS provision faults: no-match and wrong BMC password each fail their node only, $(e2e_now)s"
