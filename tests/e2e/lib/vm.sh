# QEMU machines for the e2e harness (sourced by lib/e2e.sh): a bare machine with an empty disk and
# one NIC on the test bridge, network-booting with legacy BIOS (SeaBIOS + the iPXE option ROM
# from ipxe-qemu) or UEFI (OVMF, its own PXE client). No KVM: TCG, which is what CI machines have.
# The serial console is the machine's log ($E2E_DIR/NAME.log); -no-reboot turns a guest reboot or
# a panic (the test kernel runs with panic=5) into QEMU exiting, so nothing hangs.

: "${E2E_OVMF_CODE:=/usr/share/OVMF/OVMF_CODE_4M.fd}"
: "${E2E_OVMF_VARS:=/usr/share/OVMF/OVMF_VARS_4M.fd}"
: "${E2E_VM_MEM:=512}"             # MiB; the test kernel + initramfs need ~100
: "${E2E_VM_NIC:=virtio-net-pci}"  # or e1000: QEMU loads the matching iPXE ROM for either
: "${E2E_VM_DISK_SIZE:=1G}"
declare -gA E2E_VM_MAC=()
declare -gA E2E_VM_FIRMWARE=()
declare -gA E2E_VM_TAP=()
E2E_VM_COUNT=0

# e2e_mac N: a fixed, locally administered MAC for machine N of this run (52:54:00 is QEMU's prefix).
e2e_mac() { printf '52:54:00:e2:e0:%02x' "$1"; }

# e2e_vm_define NAME MAC bios|uefi: the machine's hardware, made once and kept across power
# cycles: a tap on the bridge, an empty sparse disk ($E2E_DIR/NAME.disk), for UEFI its own copy of
# the variable store (as a real machine owns its NVRAM).
e2e_vm_define() {
  local name=$1 mac=$2 firmware=$3
  [[ -z ${E2E_VM_MAC[$name]:-} ]] || e2e_die "e2e_vm_define: machine '$name' exists"
  case $firmware in
    bios) ;;
    uefi)
      [[ -r $E2E_OVMF_CODE && -r $E2E_OVMF_VARS ]] || e2e_die "OVMF not found ($E2E_OVMF_CODE): apt-get install ovmf"
      cp "$E2E_OVMF_VARS" "$E2E_DIR/$name.vars.fd" ;;
    *) e2e_die "e2e_vm_define: firmware '$firmware' is not bios or uefi" ;;
  esac
  E2E_VM_TAP[$name]=tap$E2E_VM_COUNT
  E2E_VM_COUNT=$((E2E_VM_COUNT + 1))
  e2e_tap_add "${E2E_VM_TAP[$name]}"
  truncate -s "$E2E_VM_DISK_SIZE" "$E2E_DIR/$name.disk"
  E2E_VM_MAC[$name]=$mac
  E2E_VM_FIRMWARE[$name]=$firmware
}

# e2e_vm_args NAME network|disk: the QEMU command line of machine NAME into the array E2E_VM_ARGS
# (also for callers that launch QEMU themselves, e.g. a BMC's chassis-control program).
e2e_vm_args() {
  local name=$1 bootdev=$2 nic_boot=1 disk_boot=2
  [[ -n ${E2E_VM_MAC[$name]:-} ]] || e2e_die "e2e_vm_args: no machine '$name' (e2e_vm_define first)"
  [[ $bootdev == network || $bootdev == disk ]] || e2e_die "e2e_vm_args: boot device '$bootdev' is not network or disk"
  [[ $bootdev == disk ]] && nic_boot=2 disk_boot=1
  E2E_VM_ARGS=(
    qemu-system-x86_64 -name "$name" -accel tcg -machine pc -cpu max -smp 1 -m "$E2E_VM_MEM"
    # -nographic makes SeaBIOS and OVMF print on the serial port; the monitor stays off stdio.
    -nographic -monitor none -serial stdio -no-reboot
    -netdev "tap,id=net0,ifname=${E2E_VM_TAP[$name]},script=no,downscript=no"
    -drive "file=$E2E_DIR/$name.disk,if=none,id=disk0,format=raw"
  )
  if [[ ${E2E_VM_FIRMWARE[$name]} == bios ]]; then
    E2E_VM_ARGS+=(-device "$E2E_VM_NIC,netdev=net0,mac=${E2E_VM_MAC[$name]}" -device virtio-blk-pci,drive=disk0)
    if [[ $bootdev == network ]]; then E2E_VM_ARGS+=(-boot n); else E2E_VM_ARGS+=(-boot c); fi
  else
    # OVMF takes its boot order from bootindex (it ignores -boot). romfile= keeps QEMU's iPXE
    # option ROM off the NIC: OVMF's own PXE client boots, as on a server whose NIC has no iPXE,
    # and must be handed ipxe.efi over TFTP.
    E2E_VM_ARGS+=(
      -device "$E2E_VM_NIC,netdev=net0,mac=${E2E_VM_MAC[$name]},bootindex=$nic_boot,romfile="
      -device "virtio-blk-pci,drive=disk0,bootindex=$disk_boot"
      -drive "if=pflash,format=raw,unit=0,readonly=on,file=$E2E_OVMF_CODE"
      -drive "if=pflash,format=raw,unit=1,file=$E2E_DIR/$name.vars.fd")
  fi
}

# e2e_vm_power_on NAME [network|disk] [EXTRA QEMU ARGS...]: starts the machine (default: network
# boot); its console is appended to $E2E_DIR/NAME.log.
e2e_vm_power_on() {
  local name=$1 bootdev=${2:-network}
  shift $(($# < 2 ? $# : 2))
  e2e_vm_args "$name" "$bootdev"
  e2e_spawn "$name" -- "${E2E_VM_ARGS[@]}" "$@"
}

# e2e_vm_start NAME MAC bios|uefi [EXTRA QEMU ARGS...]: a new bare machine, powered on, booting
# from the network.
e2e_vm_start() {
  local name=$1 mac=$2 firmware=$3
  shift 3
  e2e_vm_define "$name" "$mac" "$firmware"
  e2e_vm_power_on "$name" network "$@"
}

# e2e_vm_phases NAME [SERVER_LOG_NAME]: the boot's milestones on the run's clock, from the console
# (and the server's log when given). Cheap, informative, never asserted: speed lives in bench/.
e2e_vm_phases() {
  local name=$1 server=${2:-} t label re m
  local -a milestones=(
    "firmware (SeaBIOS / OVMF PXE):SeaBIOS \\(version|Start PXE over IPv4"
    "firmware PXE DHCP:Station IP address"
    "ipxe.efi via TFTP:NBP file downloaded"
    "iPXE running:iPXE initialising devices"
    "iPXE DHCP done:Configuring \\(net0.*ok"
    "boot script (HTTP):http://[^ ]*\\.\\.\\..* ok"
    "kernel (HTTP):vmlinuz\\.\\.\\..* ok"
    "initrd (HTTP):initrd[^ ]*\\.\\.\\..* ok"
    "/init started:INGOT-E2E: init started"
    "marker printed:INGOT-E2E-MARKER"
    "powered off:reboot: Power down"
  )
  echo "e2e: phases of $name (${E2E_VM_FIRMWARE[$name]:-?}), seconds since the run began:"
  for m in "${milestones[@]}"; do
    label=${m%%:*}; re=${m#*:}
    t=$(e2e_log_time "$name" "$re")
    [[ -z $t ]] || printf '  %8s  %s\n' "$t" "$label"
  done
  if [[ -n $server ]]; then
    t=$(e2e_log_time "$server" "${E2E_VM_MAC[$name]:-^$}")
    [[ -z $t ]] || printf '  %8s  %s\n' "$t" "first $server log line naming its MAC"
  fi
}
