#!/usr/bin/env bash
# Installs every Debian 12 package ingot needs to build, test and (with --bench) benchmark.
# Idempotent; services that Debian would start on install (tftpd-hpa, nginx, atftpd) are
# kept from starting, so a setup never takes port 69 or 80 from the tests.
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev libboost-system-dev libboost-program-options-dev
  libcurl4-openssl-dev librsync-dev libfreeipmi-dev nlohmann-json3-dev doctest-dev
  libsqlite3-dev sqlite3 libssl-dev libzstd-dev zstd
)
peer_pkgs=(
  curl atftp tftp-hpa busybox-static iproute2 nftables tcpdump procps psmisc
  qemu-system-x86 qemu-utils ipxe-qemu ipxe ovmf dnsmasq-base
  openipmi ipmitool freeipmi-tools
  cpio rsync debootstrap e2fsprogs gdisk fdisk dosfstools kmod
  grub-pc-bin grub-efi-amd64-bin grub-common grub2-common mtools python3
)
bench_pkgs=( tftpd-hpa nginx-light wrk hyperfine lshw )

want=("${build_pkgs[@]}" "${peer_pkgs[@]}")
if [[ "${1:-}" == "--bench" ]]; then want+=("${bench_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  # Keep package post-install scripts from starting daemons on well-known ports.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# atftpd conflicts with tftpd-hpa as a package; the benchmark only needs its binary.
if [[ "${1:-}" == "--bench" && ! -x /opt/ingot-peers/usr/sbin/atftpd ]]; then
  tmp=$(mktemp -d); (cd "$tmp" && apt-get download -qq atftpd && dpkg -x atftpd_*.deb /opt/ingot-peers)
  rm -rf "$tmp"
fi
echo "setup: all packages present"
