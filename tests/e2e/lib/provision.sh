# The provisioning part of the e2e harness (source after lib/e2e.sh): machines behind simulated
# BMCs (OpenIPMI ipmi_sim + tests/provisioner/bmc/bmc-chassis.sh starting QEMU), the server's
# state (signing key, the tiny image, the deploy ramdisk), `ingot serve` as the provisioner and
# the `ingot` CLI run inside the test namespace.
#   prov_begin TAG                      e2e_begin + a trap that also powers machines off
#   prov_state                          $PROV_STATE: keys, images (tiny@1), ramdisk, admin token
#   prov_machine NAME MAC FW MEM DISKS USER PASS   a QEMU machine behind its own BMC
#                                       (PROV_REBOOT_IN_PLACE=1: guest reboots from disk reset it)
#   prov_serve                          `ingot serve` in provisioner mode on br0 (log "server",
#                                       or $PROV_SERVE_LOG)
#   prov_ingot ARGS...                  the ingot CLI against that server
#   prov_wait_states DEADLINE NAME...   until every node is configured (or one failed)

: "${PROV_BMC_LIB:=$INGOT_SOURCE_DIR/tests/provisioner/bmc}"
: "${PROV_ROLES:=$INGOT_SOURCE_DIR/tests/e2e/roles}"
: "${PROV_TINY_RECIPE:=$INGOT_SOURCE_DIR/roles/tiny}"
# Sparse; the agent's default layout needs 1283 MiB or more (lib/vm.sh defaults to 1G).
E2E_VM_DISK_SIZE=${PROV_DISK_SIZE:-2G}
declare -gA PROV_BMC_URL=()   # NAME -> ipmi://USER:PASS@127.0.0.1:PORT
declare -gA PROV_BMC_DIR=()   # NAME -> ipmi_sim state dir
declare -ga PROV_MACHINES=()

prov_begin() {
  e2e_begin "$1"
  for tool in ipmi_sim sfdisk mount losetup; do
    command -v "$tool" >/dev/null || e2e_die "$tool not found: run scripts/setup.sh"
  done
  e2e_require_ingot
  # A missing capability fails loudly, naming what is missing.
  local commands
  commands=$("$INGOT_BIN" 2>&1 || true)
  grep -qE '^  node +' <<<"$commands" ||
    e2e_die "MISSING: $INGOT_BIN has no 'node' command (the provisioner API of ingot serve is not wired in yet)"
  trap '_prov_exit $?' EXIT
}

# Machines are detached from the harness (the BMC's chassis program starts them in their own
# session), so they are stopped through their BMC's state dir, by PID, before the namespace goes.
_prov_exit() {
  local rc=$1 name
  set +e
  for name in "${PROV_MACHINES[@]}"; do
    bash "$PROV_BMC_LIB/bmc-sim.sh" stop "${PROV_BMC_DIR[$name]}" >/dev/null 2>&1
  done
  _e2e_exit "$rc"
}

# Cached per content: a deploy ramdisk is ~30 s of zstd on this machine.
_prov_ramdisk() {
  local agent=${INGOT_AGENT_BIN:-$(dirname "$INGOT_BIN")/ingot-agent} key dir
  [[ -x $agent ]] || e2e_die "$agent not built"
  key=$(cat "$INGOT_BIN" "$agent" | sha256sum | cut -c1-16)
  dir=$INGOT_CACHE_DIR/e2e/ramdisk-$key
  mkdir -p "$INGOT_CACHE_DIR/e2e"
  (flock 9
   [[ -s $dir/initrd.img ]] || {
     rm -rf "$dir.tmp"
     "$INGOT_BIN" ramdisk build --kernel-dir "$E2E_KROOT" --agent "$agent" --out "$dir.tmp" >&2 &&
       mv "$dir.tmp" "$dir"
   }) 9>"$INGOT_CACHE_DIR/e2e/.ramdisk.lock" || e2e_die "ingot ramdisk build failed"
  PROV_RAMDISK=$dir
}

# The signing key and tiny@1 in a store, made with ingot's CLI (`key generate`, `image build`)
# and cached per content (recipe files + ingot and the ingot-agent the image carries): the build
# takes ~45 s here.
_prov_tiny_image() {
  local key dir agent=${INGOT_AGENT_BIN:-$(dirname "$INGOT_BIN")/ingot-agent}
  key=$( { cat "$INGOT_BIN" "$agent"; find "$PROV_TINY_RECIPE" -type f | LC_ALL=C sort | xargs cat; } | sha256sum | cut -c1-16)
  dir=$INGOT_CACHE_DIR/e2e/tiny-$key
  mkdir -p "$INGOT_CACHE_DIR/e2e"
  (flock 9
   [[ -e $dir/images ]] || {
     rm -rf "$dir.tmp" && mkdir -p "$dir.tmp" &&
       "$INGOT_BIN" key generate --state-dir "$dir.tmp" >"$E2E_DIR/image-build.log" 2>&1 &&
       "$INGOT_BIN" image build "$PROV_TINY_RECIPE" --version 1 --state-dir "$dir.tmp" --agent "$agent" \
         --cache "$INGOT_CACHE_DIR/image-build" >>"$E2E_DIR/image-build.log" 2>&1 &&
       mv "$dir.tmp" "$dir"
   }) 9>"$INGOT_CACHE_DIR/e2e/.tiny.lock" ||
    { tail -30 "$E2E_DIR/image-build.log" >&2; e2e_die "building tiny@1 ($PROV_TINY_RECIPE) failed"; }
  PROV_TINY=$dir
}

# prov_state: the server's state dir as an operator would set it up, through ingot's own CLI.
prov_state() {
  PROV_STATE=$E2E_DIR/state
  mkdir -p "$PROV_STATE"
  e2e_kernel
  e2e_tftp_root "$E2E_DIR/tftp"
  local t0=$SECONDS
  _prov_tiny_image
  cp -a "$PROV_TINY/keys" "$PROV_TINY/images" "$PROV_STATE/"
  echo "e2e: tiny@1 ready in $((SECONDS - t0)) s"
  t0=$SECONDS
  _prov_ramdisk
  mkdir -p "$PROV_STATE/ramdisk"
  cp "$PROV_RAMDISK/vmlinuz" "$PROV_RAMDISK/initrd.img" "$PROV_STATE/ramdisk/"
  echo "e2e: deploy ramdisk ready in $((SECONDS - t0)) s"
  PROV_TOKEN=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  (umask 077 && echo "$PROV_TOKEN" >"$PROV_STATE/admin.token")
  PROV_URL=http://$E2E_SERVER_IP:$E2E_HTTP_PORT
}

# prov_machine NAME MAC bios|uefi MEM_MIB DISKS USER PASS: a powered-off machine with DISKS empty
# sparse disks behind an ipmi_sim BMC on 127.0.0.1 in the namespace. Power on runs QEMU with
# `-boot n` or `-boot c` (OVMF: bootindex) as the BMC's boot device says; its console is appended
# to $E2E_DIR/NAME.log, time-stamped on the run's clock.
prov_machine() {
  local name=$1 mac=$2 firmware=$3 mem=$4 disks=$5 user=$6 pass=$7 i
  e2e_vm_define "$name" "$mac" "$firmware"
  # -nodefaults: no CD-ROM drive (QEMU's pc machine adds one, and the agent counts it as a
  # logical disk, which the roles' disk counts must not see), as on a server.
  local extra=(-nodefaults)
  for ((i = 2; i <= disks; i++)); do
    truncate -s "$E2E_VM_DISK_SIZE" "$E2E_DIR/$name.disk$i"
    extra+=(-drive "file=$E2E_DIR/$name.disk$i,if=none,id=disk$i,format=raw" -device "virtio-blk-pci,drive=disk$i")
  done
  local net disk
  E2E_VM_MEM=$mem e2e_vm_args "$name" network
  net=$(printf '%q ' "${E2E_VM_ARGS[@]}" "${extra[@]}")
  E2E_VM_MEM=$mem e2e_vm_args "$name" disk
  # PROV_REBOOT_IN_PLACE=1: a guest reboot from disk resets the machine instead of ending QEMU
  # (a node that reboots itself after an upgrade, tests/upgrade); power off still ends it.
  if [[ -n ${PROV_REBOOT_IN_PLACE:-} ]]; then
    local -a kept=()
    for i in "${E2E_VM_ARGS[@]}"; do [[ $i == -no-reboot ]] || kept+=("$i"); done
    E2E_VM_ARGS=("${kept[@]}")
  fi
  disk=$(printf '%q ' "${E2E_VM_ARGS[@]}" "${extra[@]}")
  local dir=$E2E_DIR/bmc-$name port
  mkdir -p "$dir"
  # bash runs this at each power-on (bmc-chassis.sh), with INGOT_BOOT set from the boot device.
  cat >"$dir/qemu.sh" <<EOF
source $(printf '%q' "$E2E_LIB/proc.sh")
E2E_T0_US=$E2E_T0_US
if [ "\$INGOT_BOOT" = n ]; then set -- $net; else set -- $disk; fi
echo "=== power on, boot device \$INGOT_BOOTDEV" | _e2e_stamp $name >>$(printf '%q' "$E2E_DIR/$name.log")
"\$@" 2>&1 | _e2e_stamp $name >>$(printf '%q' "$E2E_DIR/$name.log")
EOF
  port=$(ip netns exec "$E2E_NS" bash "$PROV_BMC_LIB/bmc-sim.sh" free-port)
  for i in "${PROV_BMC_URL[@]}"; do [[ $i != *":$port" ]] || e2e_die "free-port returned a port in use ($port)"; done
  ip netns exec "$E2E_NS" bash "$PROV_BMC_LIB/bmc-sim.sh" start "$dir" "$port" "$user" "$pass" \
    --machine-cmd "bash $dir/qemu.sh" >/dev/null || e2e_die "the BMC of $name did not start"
  PROV_BMC_DIR[$name]=$dir
  PROV_BMC_URL[$name]=ipmi://$user:$pass@127.0.0.1:$port
  PROV_MACHINES+=("$name")
}

# prov_serve [EXTRA FLAGS...]: `ingot serve` as the provisioner, the only DHCP server on br0.
# PROV_SERVE_LOG names its log (default "server"; a restarted server gets a log of its own).
prov_serve() {
  local log=${PROV_SERVE_LOG:-server}
  e2e_spawn "$log" -- env INGOT_TOKEN="$PROV_TOKEN" "$INGOT_BIN" serve --state-dir "$PROV_STATE" \
    --roles "$PROV_ROLES" --interface br0 --listen "$E2E_SERVER_IP" --dhcp full \
    --dhcp-range "$E2E_DHCP_RANGE_LO-$E2E_DHCP_RANGE_HI" --dhcp-netmask 255.255.255.0 \
    --tftp-root "$E2E_DIR/tftp" --http-port "$E2E_HTTP_PORT" --log-level debug "$@"
  e2e_wait_log "$log" 'serve: ready' 20 || e2e_fail "ingot serve (provisioner, log $log) did not start"
}

prov_ingot() {
  ip netns exec "$E2E_NS" env INGOT_URL="$PROV_URL" INGOT_TOKEN="$PROV_TOKEN" "$INGOT_BIN" "$@"
}

# Prints "NAME STATE PHASE" for every node of `ingot node list --json` (tolerates a list or
# {"nodes": [...]}).
prov_node_states() {
  prov_ingot node list --json 2>>"$E2E_DIR/cli.log" | python3 -c '
import json, sys
d = json.load(sys.stdin)
nodes = d.get("nodes", d) if isinstance(d, dict) else d
for n in nodes:
    print(n.get("name"), n.get("state"), n.get("phase") or "-")'
}

# prov_wait_states DEADLINE_S STATE NAME...: 0 once every NAME is in STATE; 1 as soon as one is
# "failed" while another state was wanted, or at the deadline. Prints each change as it happens.
prov_wait_states() {
  local deadline=$((SECONDS + $1)) want=$2 line name state all
  shift 2
  declare -A last=()
  while ((SECONDS < deadline)); do
    all=1
    local seen=""
    while read -r name state _; do
      [[ " $* " == *" $name "* ]] || continue
      seen+=" $name"
      if [[ ${last[$name]:-} != "$state" ]]; then
        echo "e2e: [$(e2e_now)] $name: $state"
        last[$name]=$state
      fi
      [[ $state == "$want" ]] || all=""
      [[ $state == failed && $want != failed ]] && return 1
    done < <(prov_node_states || true)
    for name in "$@"; do [[ " $seen " == *" $name "* ]] || all=""; done
    [[ -n $all ]] && return 0
    sleep 2
  done
  echo "e2e: nodes not all $want after the deadline" >&2
  return 1
}

# prov_fail MESSAGE: `ingot node show` of every machine, then e2e_fail (consoles, server log).
prov_fail() {
  local name
  for name in "${PROV_MACHINES[@]}"; do
    echo "----- ingot node show $name -----" >&2
    prov_ingot node show "$name" >&2 2>&1 || true
    echo "----- BMC of $name: chassis.log -----" >&2
    tail -n 20 "${PROV_BMC_DIR[$name]}/chassis.log" >&2 2>/dev/null || true
    prov_timeline "$name" >&2
  done
  e2e_fail "$@"
}

# prov_inspect_disk NAME MANIFEST: the deployed root filesystem on NAME's disks against the image
# manifest (lib/inspect_root.sh, in a private mount namespace). Sets PROV_ROOT_HOSTNAME and
# PROV_ROOT_HANDOFF (handoff.json's text); returns 1 on any difference.
prov_inspect_disk() {
  local name=$1 manifest=$2 out=$E2E_DIR/inspect-$1 rc=0
  mkdir -p "$out"
  unshare -m --propagation private bash "$E2E_LIB/inspect_root.sh" "$manifest" "$out" \
    "$E2E_DIR/$name.disk" "$E2E_DIR/$name.disk"[0-9]* || rc=1
  PROV_ROOT_HOSTNAME=$(cat "$out/hostname" 2>/dev/null || true)
  PROV_ROOT_HANDOFF=$(cat "$out/handoff.json" 2>/dev/null || true)
  [[ ! -s $out/disk ]] || echo "e2e: $name: root filesystem found on $(basename "$(cat "$out/disk")")"
  if ((rc)); then
    echo "e2e: $name: the deployed disk is not the image:" >&2
    head -n 40 "$out/tree-diff" >&2
  fi
  return $rc
}

# prov_timeline NAME: the machine's milestones on the run's clock, from its console (both power
# cycles append to one log). Prints "power-on to callback: N s" last; PROV_P2C[NAME] gets N.
declare -gA PROV_P2C=()
prov_timeline() {
  local name=$1 m label re t first="" last=""
  local -a milestones=(
    "power on (PXE):=== power on, boot device pxe"
    "iPXE running:iPXE initialising devices"
    "deploy ramdisk /init:ingot-ramdisk: loading drivers"
    "ramdisk network up:ingot-ramdisk: network on"
    "agent done:ingot-ramdisk: agent exited"
    "power on (disk):=== power on, boot device (default|disk)"
    "tiny first boot:ingot-tiny: first boot of"
    "callback sent:INGOT-CALLBACK-OK"
  )
  echo "e2e: timeline of $name (${E2E_VM_FIRMWARE[$name]:-?}), seconds since the run began:"
  for m in "${milestones[@]}"; do
    label=${m%%:*}; re=${m#*:}
    t=$(e2e_log_time "$name" "$re")
    [[ -n $t ]] || continue
    printf '  %8s  %s\n' "$t" "$label"
    [[ -n $first ]] || first=$t
    [[ $label != "callback sent" ]] || last=$t
  done
  if [[ -n $first && -n $last ]]; then
    PROV_P2C[$name]=$(python3 -c "print(round($last - $first, 1))")
    echo "  power-on to callback: ${PROV_P2C[$name]} s"
  fi
}
