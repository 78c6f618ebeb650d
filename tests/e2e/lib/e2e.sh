# The e2e harness: source this from a bash script running as root with `set -euo pipefail`.
#   e2e_begin TAG          work dir ($E2E_DIR), namespace name ($E2E_NS), cleanup trap
#   e2e_net_up             namespace + bridge br0 (198.18.0.1/24)       [netns.sh]
#   e2e_spawn NAME -- CMD  a process in the namespace, logged, stopped by PID  [proc.sh]
#   e2e_boot_setup MAC...  kernel, test initramfs, iPXE binaries, boot policy [server.sh]
#   e2e_serve_ingot MODE   `ingot serve` on the bridge (or e2e_serve_peer)  [server.sh]
#   e2e_vm_start NAME MAC bios|uefi   a QEMU machine network-booting    [vm.sh]
#   e2e_wait_log NAME REGEX SECONDS   wait for a line in a log           [proc.sh]
#   e2e_fail MESSAGE       print the tails of every log and exit 1
# Everything started is stopped by PID and the namespaces deleted on exit, pass or fail; the logs
# are kept on failure (or with E2E_KEEP=1) and their directory printed.

E2E_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${INGOT_SOURCE_DIR:=$(cd "$E2E_LIB/../../.." && pwd)}"
: "${INGOT_BIN:=$INGOT_SOURCE_DIR/build/ci/provisioner/ingot}"

source "$E2E_LIB/proc.sh"
source "$E2E_LIB/netns.sh"
source "$E2E_LIB/vm.sh"
source "$E2E_LIB/bootfiles.sh"
source "$E2E_LIB/server.sh"

e2e_die() {
  echo "e2e: $*" >&2
  exit 1
}

# e2e_begin TAG: TAG names the run's directory and namespace (keep it short: [a-z0-9-]).
e2e_begin() {
  local tag=$1
  ((EUID == 0)) || e2e_die "must run as root (network namespaces, tap devices)"
  local tool
  for tool in ip qemu-system-x86_64 busybox python3 sed grep; do
    command -v "$tool" >/dev/null || e2e_die "$tool not found: run scripts/setup.sh"
  done
  E2E_T0_US=${EPOCHREALTIME//[!0-9]/}
  E2E_TAG=$tag
  E2E_NS=$E2E_NS_PREFIX-$$-$tag
  E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ingot-e2e-$tag.XXXXXX")
  E2E_OK=""
  trap '_e2e_exit $?' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

_e2e_exit() {
  local rc=$1
  set +e
  trap - EXIT INT TERM
  e2e_stop_all
  e2e_net_down
  if [[ $rc == 0 && -z ${E2E_KEEP:-} ]]; then
    rm -rf "$E2E_DIR"
  else
    echo "e2e: logs kept in $E2E_DIR" >&2
  fi
  exit "$rc"
}

# e2e_fail MESSAGE: the failure, then the end of every log (machines' consoles first), then exit 1.
e2e_fail() {
  local log name
  echo "e2e: FAIL: $*" >&2
  for name in "${!E2E_VM_MAC[@]}"; do _e2e_tail "$E2E_DIR/$name.log" 60; done
  for log in "$E2E_DIR"/*.log; do
    name=$(basename "$log" .log)
    [[ -n ${E2E_VM_MAC[$name]:-} ]] || _e2e_tail "$log" 40
  done
  exit 1
}

_e2e_tail() {
  [[ -e $1 ]] || return 0
  echo "----- last $2 lines of $(basename "$1") -----" >&2
  tail -n "$2" "$1" >&2
}

e2e_require_ingot() {
  [[ -x $INGOT_BIN ]] || e2e_die "$INGOT_BIN not built (cmake --preset ci && cmake --build --preset ci)"
}
