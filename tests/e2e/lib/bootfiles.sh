# What the machines boot (sourced by lib/e2e.sh): Debian's kernel, the test initramfs, the iPXE
# binaries for the TFTP root and a static boot policy. Downloads and builds are cached under
# $INGOT_CACHE_DIR (default /var/cache/ingot) so only the first run pays for them.

: "${INGOT_CACHE_DIR:=/var/cache/ingot}"
: "${E2E_IPXE_DIR:=/usr/lib/ipxe}"
# NIC drivers for both emulated NICs the harness uses (virtio-net-pci, e1000).
E2E_TEST_MODULES=(virtio_pci virtio_net e1000)

# Sets E2E_KERNEL (vmlinuz) and E2E_KROOT (the extracted kernel package) via scripts/fetch-kernel.sh.
e2e_kernel() {
  E2E_KERNEL=$(bash "$INGOT_SOURCE_DIR/scripts/fetch-kernel.sh" "$INGOT_CACHE_DIR") ||
    e2e_die "cannot fetch Debian's kernel into $INGOT_CACHE_DIR (scripts/fetch-kernel.sh)"
  E2E_KROOT=$INGOT_CACHE_DIR/kernel
}

# Sets E2E_INITRD to the test initramfs (tests/e2e/initramfs/init), built once per content: the
# cache key hashes everything that goes in.
e2e_test_initramfs() {
  [[ -n ${E2E_KROOT:-} ]] || e2e_kernel
  local init=$E2E_LIB/../initramfs/init key
  key=$( { cat "$init" "$E2E_LIB/mkinitramfs.sh" "$(command -v busybox)"; ls "$E2E_KROOT/lib/modules";
           echo "${E2E_TEST_MODULES[*]}"; } | sha256sum | cut -c1-16)
  E2E_INITRD=$INGOT_CACHE_DIR/e2e/test-initramfs-$key.cpio.gz
  [[ -s $E2E_INITRD ]] && return 0
  mkdir -p "$INGOT_CACHE_DIR/e2e"
  local m args=(--out "$E2E_INITRD" --init "$init" --kernel-root "$E2E_KROOT")
  for m in "${E2E_TEST_MODULES[@]}"; do args+=(--module "$m"); done
  # Runs that start together build it once.
  (flock 9; [[ -s $E2E_INITRD ]] || bash "$E2E_LIB/mkinitramfs.sh" "${args[@]}") 9>"$INGOT_CACHE_DIR/e2e/.initramfs.lock" ||
    e2e_die "building the test initramfs failed"
}

# e2e_tftp_root DIR: the iPXE binaries firmware PXE clients fetch (Debian's ipxe package).
e2e_tftp_root() {
  local dir=$1 f
  mkdir -p "$dir"
  for f in undionly.kpxe ipxe.efi snponly.efi; do
    [[ -r $E2E_IPXE_DIR/$f ]] || e2e_die "$E2E_IPXE_DIR/$f missing: apt-get install ipxe"
    cp "$E2E_IPXE_DIR/$f" "$dir/"
  done
}

# e2e_http_root DIR: the test kernel and initramfs as DIR/vmlinuz and DIR/initrd.img.
e2e_http_root() {
  local dir=$1
  mkdir -p "$dir"
  [[ -n ${E2E_KERNEL:-} ]] || e2e_kernel
  [[ -n ${E2E_INITRD:-} ]] || e2e_test_initramfs
  cp "$E2E_KERNEL" "$dir/vmlinuz"
  cp "$E2E_INITRD" "$dir/initrd.img"
}

# The kernel command line of the test boot: serial console, panic => QEMU exits (-no-reboot), and
# a token /init echoes in its marker, so a marker can only come from this run's policy.
e2e_test_cmdline() { echo "console=ttyS0,115200 panic=5 quiet ingot_e2e.token=$1"; }

# e2e_policy_write FILE MAC CMDLINE [MAC CMDLINE]...: a static boot policy (pxe/static_policy.h)
# booting each MAC into vmlinuz + initrd.img with its command line; unknown machines stay silent.
e2e_policy_write() {
  local file=$1; shift
  {
    echo '{ "machines": {'
    local sep=""
    while (($# >= 2)); do
      printf '%s  "%s": { "action": "boot", "kernel": "vmlinuz", "initrd": ["initrd.img"], "cmdline": "%s" }' \
        "$sep" "$1" "$2"
      sep=$',\n'
      shift 2
    done
    printf '\n} }\n'
  } >"$file"
}
