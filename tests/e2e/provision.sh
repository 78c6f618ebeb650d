#!/usr/bin/env bash
# End-to-end provisioning (issue 7): two bare QEMU machines — "stor" (legacy BIOS, two disks,
# 768 MiB) and "comp" (UEFI/OVMF, one disk, 512 MiB) — each behind its own ipmi_sim BMC, are
# enrolled and deployed only through ingot's CLI. ingot sets boot device PXE and powers them on;
# they PXE-boot the deploy ramdisk from `ingot serve`, the agent posts facts, they match the
# test roles (tests/e2e/roles: storage-test, compute-test) with hostnames and addresses from the
# pools, write tiny@1, install GRUB, report; ingot boots them from disk; the tiny system's
# first-boot hook calls back and the nodes end `configured`. Then, from the host: the deployed
# disks hold the image's manifest plus the node's config.
#   provision.sh              the test (ctest e2e_provision)
#   E2E_KEEP=1 provision.sh   keep the logs and disks
set -euo pipefail
source "$(dirname "$0")/lib/e2e.sh"
source "$E2E_LIB/provision.sh"

# Global deadline for both nodes to reach `configured`, under ctest's TIMEOUT so the trap runs.
deadline=${E2E_PROVISION_DEADLINE:-600}

prov_begin prov
e2e_net_up
e2e_ra_responder
prov_state
declare -A role=([stor]=storage-test [comp]=compute-test)
prov_machine stor "$(e2e_mac 1)" bios 768 2 admin "stor-$$"
prov_machine comp "$(e2e_mac 2)" uefi 512 1 admin "comp-$$"
prov_serve
echo "e2e: server $PROV_URL, logs in $E2E_DIR"

t_start=$SECONDS
for name in stor comp; do
  prov_ingot node add "$name" --bmc "${PROV_BMC_URL[$name]}" --mac "${E2E_VM_MAC[$name]}" ||
    prov_fail "ingot node add $name failed"
done
for name in stor comp; do
  prov_ingot node deploy "$name" || prov_fail "ingot node deploy $name failed"
done
prov_wait_states "$deadline" configured stor comp ||
  prov_fail "the nodes did not both reach 'configured' within ${deadline}s"
echo "e2e: both nodes configured $((SECONDS - t_start)) s after the first deploy"

failures=0
check() {
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}
for name in stor comp; do
  e2e_wait_log "$name" "INGOT-CALLBACK-OK node=$name " 30 >/dev/null 2>&1 || true
  check "$name: its console shows the callback" grep -qa "INGOT-CALLBACK-OK node=$name " "$E2E_DIR/$name.log"
  show=$(prov_ingot node show "$name" 2>&1 || true)
  echo "$show" >"$E2E_DIR/$name.show"
  check "$name: node show names role ${role[$name]}" grep -q "${role[$name]}" <<<"$show"
done

# Machines off through their BMCs before their disks are read.
for name in stor comp; do
  prov_ingot power --bmc "${PROV_BMC_URL[$name]}" off >/dev/null || echo "e2e: power off of $name failed" >&2
done
"$INGOT_BIN" image show tiny@1 --manifest --state-dir "$PROV_STATE" >"$E2E_DIR/tiny.manifest.json" ||
  e2e_fail "ingot image show tiny@1 --manifest failed"
for name in stor comp; do
  PROV_ROOT_HOSTNAME="" PROV_ROOT_HANDOFF=""
  check "$name: deployed disk holds exactly tiny@1 (+ node config)" prov_inspect_disk "$name" "$E2E_DIR/tiny.manifest.json"
  want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("hostname",""))' "$PROV_ROLES/${role[$name]}/pools.json")
  want=${want%%-*}  # "storage01-09": the pool's first name
  check "$name: /etc/hostname is the pool's first hostname ($want)" [ "$PROV_ROOT_HOSTNAME" = "$want" ]
  check "$name: handoff.json names node and role" \
    python3 -c 'import json,sys; h=json.loads(sys.argv[1]); sys.exit(not (h["node"]==sys.argv[2] and h["role"]==sys.argv[3]))' \
    "${PROV_ROOT_HANDOFF:-{\}}" "$name" "${role[$name]}"
done

for name in stor comp; do
  echo "e2e: ---- ingot node show $name ----"
  cat "$E2E_DIR/$name.show"
  prov_timeline "$name"
done
((failures == 0)) || prov_fail "$failures check(s) failed"
echo "e2e: PASS provision: 2 nodes configured, disks verified, $(e2e_now)s"
