#!/usr/bin/env bash
# fetch-kernel.sh CACHE_DIR: downloads Debian's current amd64 kernel package (whatever
# linux-image-amd64 depends on today: the name changes with point releases) and extracts it
# into CACHE_DIR/kernel/. Prints the path of the vmlinuz. Reuses an earlier extraction.
set -euo pipefail
cache=${1:?usage: fetch-kernel.sh CACHE_DIR}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
if [[ -f "$cache/kernel/.done" ]]; then
  ls "$cache"/kernel/boot/vmlinuz-* | head -n1
  exit 0
fi
exec 9>"$cache/.kernel.lock"
flock 9
if [[ ! -f "$cache/kernel/.done" ]]; then
  pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
  if [[ -z "$pkg" ]]; then apt-get update -qq; pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}'); fi
  [[ -n "$pkg" ]] || { echo "fetch-kernel: cannot resolve linux-image-amd64" >&2; exit 1; }
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq "$pkg" >&2)
  rm -rf "$cache/kernel"
  dpkg -x "$tmp"/*.deb "$cache/kernel"
  rm -rf "$tmp"
  touch "$cache/kernel/.done"
fi
ls "$cache"/kernel/boot/vmlinuz-* | head -n1
