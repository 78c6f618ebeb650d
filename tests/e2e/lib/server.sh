# The boot servers on the test LAN (sourced by lib/e2e.sh): `ingot serve`, and reference servers
# (dnsmasq, busybox httpd) doing the same job for comparison. All listen on br0 at $E2E_SERVER_IP.

E2E_DHCP_RANGE_LO=198.18.0.100
E2E_DHCP_RANGE_HI=198.18.0.199
E2E_HTTP_PORT=8080

# e2e_boot_setup: the files a boot needs, in $E2E_DIR: tftp/ (iPXE binaries), http/ (vmlinuz,
# initrd.img), and the static boot policy policy.json for machines "MAC..." given as arguments.
# Each machine's kernel command line carries this run's token ($E2E_TOKEN), which /init echoes.
e2e_boot_setup() {
  e2e_kernel
  e2e_test_initramfs
  e2e_tftp_root "$E2E_DIR/tftp"
  e2e_http_root "$E2E_DIR/http"
  E2E_TOKEN=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
  E2E_CMDLINE=$(e2e_test_cmdline "$E2E_TOKEN")
  E2E_POLICY=$E2E_DIR/policy.json
  local mac args=()
  for mac in "$@"; do args+=("$mac" "$E2E_CMDLINE"); done
  e2e_policy_write "$E2E_POLICY" "${args[@]}"
}

# e2e_marker MAC: the console line that proves machine MAC booted this run's test initramfs.
e2e_marker() { echo "INGOT-E2E-MARKER mac=$1 token=$E2E_TOKEN"; }

# e2e_serve_ingot full|proxy [EXTRA FLAGS...]: `ingot serve` on br0 as the boot plane, log "server".
e2e_serve_ingot() {
  local mode=$1; shift
  local args=(serve --interface br0 --advertise "$E2E_SERVER_IP" --dhcp "$mode"
    --tftp-root "$E2E_DIR/tftp" --http-root "$E2E_DIR/http" --http-port "$E2E_HTTP_PORT"
    --boot-policy "$E2E_POLICY" --state-dir "$E2E_DIR/state")
  [[ $mode == full ]] && args+=(--dhcp-range "$E2E_DHCP_RANGE_LO-$E2E_DHCP_RANGE_HI" --dhcp-netmask 255.255.255.0)
  mkdir -p "$E2E_DIR/state"
  E2E_SERVE_CMD=("$INGOT_BIN" "${args[@]}" "$@")
  e2e_spawn server -- "${E2E_SERVE_CMD[@]}"
  e2e_wait_log server 'serve: ready' 15 || e2e_fail "ingot serve did not start"
}

# e2e_dhcp_host: the site's ordinary DHCP server for ProxyDHCP runs: dnsmasq on another host of
# the LAN (198.18.0.2), handing out addresses only, no PXE options. Log "dhcp".
e2e_dhcp_host() {
  e2e_host_add dhcp 198.18.0.2
  # no-ping: dnsmasq would otherwise probe each new address for 3 s before offering it.
  e2e_spawn dhcp --ns "${E2E_HOST_NS[dhcp]}" -- dnsmasq --keep-in-foreground --conf-file=/dev/null \
    --port=0 --interface=eth0 --bind-interfaces --user=root --pid-file="$E2E_DIR/dhcp.pid" \
    --dhcp-range="$E2E_DHCP_RANGE_LO,$E2E_DHCP_RANGE_HI,255.255.255.0,1h" \
    --dhcp-leasefile="$E2E_DIR/dhcp.leases" --no-ping --log-dhcp --log-facility=-
  e2e_wait_log dhcp 'DHCP, IP range' 10 || e2e_fail "dnsmasq (the ordinary DHCP server) did not start"
}

# e2e_serve_peer full|proxy bios|uefi: what ingot does, done by reference servers, logs "server"
# and "http". iPXE (it sends option 175) gets one hand-written HTTP script; firmware PXE gets
# undionly.kpxe (BIOS) or ipxe.efi (UEFI, arch 7/9) over TFTP.
e2e_serve_peer() {
  local mode=$1 firmware=$2 initrd_arg="" url=http://$E2E_SERVER_IP:$E2E_HTTP_PORT
  # UEFI kernels find the initrd iPXE loaded only through initrd=NAME (E2E-NOTES, trap 4).
  [[ $firmware == uefi ]] && initrd_arg="initrd=initrd.img "
  printf '#!ipxe\necho INGOT-E2E-SCRIPT loaded\nkernel %s/vmlinuz %s%s\ninitrd %s/initrd.img\nboot\n' \
    "$url" "$initrd_arg" "$E2E_CMDLINE" "$url" >"$E2E_DIR/http/boot.ipxe"
  local args=(dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --interface=br0 --bind-interfaces
    --user=root --pid-file="$E2E_DIR/server.pid" --log-dhcp --log-facility=-
    --enable-tftp --tftp-root="$E2E_DIR/tftp" --dhcp-match=set:ipxe,175)
  if [[ $mode == full ]]; then
    args+=(--dhcp-range="$E2E_DHCP_RANGE_LO,$E2E_DHCP_RANGE_HI,255.255.255.0,1h"
      --dhcp-leasefile="$E2E_DIR/server.leases" --no-ping
      --dhcp-match=set:efi64,option:client-arch,7 --dhcp-match=set:efi64,option:client-arch,9
      --dhcp-boot="tag:ipxe,$url/boot.ipxe" --dhcp-boot="tag:!ipxe,tag:efi64,ipxe.efi,,$E2E_SERVER_IP"
      --dhcp-boot="tag:!ipxe,tag:!efi64,undionly.kpxe,,$E2E_SERVER_IP"
      # iPXE setting 175.176 (no-pxedhcp): do not wait 3 s for ProxyDHCP offers.
      --dhcp-option=tag:ipxe,encap:175,176,1)
  else
    args+=(--dhcp-range="$E2E_SERVER_IP,proxy,255.255.255.0"
      --pxe-service=tag:!ipxe,X86-64_EFI,netboot,ipxe.efi --pxe-service=tag:!ipxe,x86PC,netboot,undionly
      --dhcp-boot="tag:ipxe,$url/boot.ipxe,,$E2E_SERVER_IP")
  fi
  e2e_spawn server -- "${args[@]}"
  e2e_spawn http -- busybox httpd -f -vv -p "$E2E_SERVER_IP:$E2E_HTTP_PORT" -h "$E2E_DIR/http"
  e2e_wait_log server 'TFTP root' 10 || e2e_fail "dnsmasq did not start"
}
