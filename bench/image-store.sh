#!/usr/bin/env bash
# bench/run image-store [TREE]: storing an OS-like tree into the image store vs the obvious
# peer, a `tar | zstd -3` archive of the same tree, side by side in one run:
#   cold store (hash + compress every file), rebuild as a new version (content deduplicated),
#   verify (signature + every object vs sha256sum over the tree's files), and bytes stored.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
tree=${1:-/usr/lib/python3}
tmp=$(mktemp -d /var/tmp/ingot-bench-store.$$.XXXX)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{ printf "%.3f", b-a }'; }
"$INGOT_BIN" key generate --out "$tmp/keys" >/dev/null
export SOURCE_DATE_EPOCH=1700000000
sync; cat $(find "$tree" -type f | head -n 100000) >/dev/null 2>&1 || true  # warm the page cache for both

t0=$(now); "$INGOT_BIN" image build bench --from-tree "$tree" --version 1 --store "$tmp/s" --key "$tmp/keys/image-signing.key" >/dev/null 2>&1; t1=$(now)
tar -C "$tree" -cf - . | zstd -3 -T0 -q > "$tmp/t1.tar.zst"; t2=$(now)
result "store-cold-seconds" "$(secs "$t0" "$t1")" tar-zstd "$(secs "$t1" "$t2")" 1.0 lower

t0=$(now); "$INGOT_BIN" image build bench --from-tree "$tree" --version 2 --store "$tmp/s" --key "$tmp/keys/image-signing.key" >/dev/null 2>&1; t1=$(now)
tar -C "$tree" -cf - . | zstd -3 -T0 -q > "$tmp/t2.tar.zst"; t2=$(now)
result "store-new-version-seconds" "$(secs "$t0" "$t1")" tar-zstd "$(secs "$t1" "$t2")" 2.0 lower

t0=$(now); "$INGOT_BIN" image verify bench@2 --store "$tmp/s" --pubkey "$tmp/keys/image-signing.pub" >/dev/null 2>&1; t1=$(now)
(cd "$tree" && find . -type f -print0 | xargs -0 sha256sum >/dev/null); t2=$(now)
result "verify-seconds" "$(secs "$t0" "$t1")" sha256sum "$(secs "$t1" "$t2")" 1.0 lower

stored=$(du -sb "$tmp/s/objects" | cut -f1)
result "stored-bytes-two-versions" "$stored" tar-zstd "$(( $(stat -c %s "$tmp/t1.tar.zst") + $(stat -c %s "$tmp/t2.tar.zst") ))" 1.5 lower
