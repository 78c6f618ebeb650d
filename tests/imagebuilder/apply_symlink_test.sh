#!/usr/bin/env bash
# `ingot image apply` keeps an image's symlinks: absolute ones (busybox's "bin/cat -> /bin/busybox",
# which on the host point outside the target) and relative ones, on a fresh target and again on
# a re-apply. Regression: extras were found with fs::relative, which resolves symlinks, so every
# symlink was named by its destination, judged not in the image and removed.
set -euo pipefail
B=${INGOT_BIN:?}
source "$(dirname "${BASH_SOURCE[0]}")/../support/script_lib.sh"
make_work_dir ingot-apply-symlink
mkdir -p "$w/tree/bin" "$w/tree/etc"
echo '#!/bin/sh' >"$w/tree/bin/busybox"
ln -s /bin/busybox "$w/tree/bin/cat"
ln -s busybox "$w/tree/bin/sh"
ln -s ../bin/busybox "$w/tree/etc/tool"
ln -s /nowhere/at/all "$w/tree/etc/dangling"
"$B" key generate --out "$w/keys" >/dev/null
"$B" image build demo --version 1 --from-tree "$w/tree" --store "$w/store" --key "$w/keys/image-signing.key" >/dev/null 2>&1
for pass in fresh again; do
  out=$("$B" image apply demo@1 "$w/target" --store "$w/store" --key "$w/keys/image-signing.pub" 2>&1) ||
    fail "apply ($pass): $out"
  grep -q " 0 removed" <<<"$out" || fail "apply ($pass) removed entries of the image: $out"
  [[ $(readlink "$w/target/bin/cat") == /bin/busybox ]] || fail "$pass: bin/cat -> /bin/busybox missing"
  [[ $(readlink "$w/target/bin/sh") == busybox ]] || fail "$pass: bin/sh -> busybox missing"
  [[ $(readlink "$w/target/etc/tool") == ../bin/busybox ]] || fail "$pass: etc/tool missing"
  [[ $(readlink "$w/target/etc/dangling") == /nowhere/at/all ]] || fail "$pass: etc/dangling missing"
done
touch "$w/target/etc/extra"
out=$("$B" image apply demo@1 "$w/target" --store "$w/store" --key "$w/keys/image-signing.pub" 2>&1)
grep -q " 1 removed" <<<"$out" && [[ ! -e $w/target/etc/extra ]] || fail "a real extra was not removed: $out"
echo "PASS: symlinks survive apply; only real extras are removed"
