#!/usr/bin/env bash
# bench/run sync: the image sync engine (`ingot image apply --server`) against an rsync daemon,
# side by side in one run on 127.0.0.1, on two Debian 12 minbase trees n and n+1 (issue 5, acc. 4):
#   1. full lay-down into an empty dir: ingot vs `rsync -a`, `rsync -az`, a `tar | zstd` stream
#   2. upgrade n -> n+1 of a laid-down n: bytes on the wire and wall time vs `rsync -a --delete`,
#      with -z, with --checksum and with both; `zstd --patch-from` of the two tars as the floor
#      (ingot with the deltas `ingot image delta` built beforehand; also with --from, the believed n)
#   3. no-change verify pass: `ingot image verify --target` quick and --full, and `ingot image apply
#      --dry-run` (hashes every file), vs rsync's no-op passes (-a --delete -n... and --checksum)
# Medians of RUNS (default 3). Trees are cached under ${INGOT_CACHE_DIR:-/var/cache/ingot}/bench-sync.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
source "$here/sync/trees.sh"
source "$here/sync/measure.sh"
source "$here/sync/fresh_fs.sh"
source "$here/sync/setup.sh"
image_bench_setup sync
pids=()
cleanup() {
  release_dst 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "trees: $(cat "$cache/source")"
for t in n n1; do
  echo "  $t: $(find "$cache/$t" -xdev | wc -l) entries, $(du -sb "$cache/$t" | cut -f1) bytes"
done

# --- the ingot side: store both versions, serve them -----------------------------------------
export SOURCE_DATE_EPOCH=1700000000
state=$work/state
"$INGOT_BIN" key generate --out "$state/keys" >/dev/null
"$INGOT_BIN" image build bench --from-tree "$cache/n" --version 1 --store "$state/images" --key "$state/keys/image-signing.key" >"$work/build.log" 2>&1
"$INGOT_BIN" image build bench --from-tree "$cache/n1" --version 2 --store "$state/images" --key "$state/keys/image-signing.key" >>"$work/build.log" 2>&1
# Deltas n -> n+1 built ahead of the rollout (what an operator runs after a build), so the
# upgrade below fetches librsync deltas for changed files instead of whole objects.
delta_precompute() {
  local t0 t1
  t0=$(date +%s.%N)
  "$INGOT_BIN" image delta bench@1 bench@2 --store "$state/images" --json >"$work/delta.json" 2>"$work/delta.log"
  t1=$(date +%s.%N)
  t_delta_precompute=$(awk -v a="$t0" -v b="$t1" 'BEGIN{ printf "%.3f", b-a }')
  echo "  ingot image delta bench@1 bench@2: $t_delta_precompute s: $(tail -n1 "$work/delta.log" | tr '\r' '\n' | tail -n1)"
}
delta_precompute
start_image_server "$state"

# --- the peer: an rsync daemon serving the same two trees -------------------------------------
start_rsyncd n="$cache/n" n1="$cache/n1"
wait_servers sync
curl -fsS "$server/images/v1/key.pub" >/dev/null || { echo "bench/sync: ingot serve does not serve /images/v1" >&2; exit 1; }

# Warm the page cache for everybody: the bench compares protocols, not the disk.
tar -C "$cache" -cf - n n1 | cat >/dev/null

# --- 1. full lay-down into an empty dir -------------------------------------------------------
echo "-- lay-down of n into an empty dir (median of $runs)"
laydown() {  # NAME CMD...: runs CMD with DST set to a fresh empty dir, RUNS times
  local name=$1; shift
  measure "laydown_$name" "$runs" 'fresh_dst' "$@"
}
laydown ingot       '"$INGOT_BIN" image apply bench@1 "$work/dst" --server "$server"'
laydown rsync_a     'rsync -a "$rs/n/" "$work/dst/"'
laydown rsync_az    'rsync -az "$rs/n/" "$work/dst/"'
laydown tar_zstd    'tar -C "$cache/n" -cf - . | zstd -3 -T0 -q | zstd -dq | tar -C "$work/dst" -xpf -'
release_dst
rm -rf "$work/dst"
# Same result? (a lay-down that skipped files would look fast). Compared without mtimes: the
# store may clamp them to SOURCE_DATE_EPOCH.
same() { rsync -rlpgoDnc --delete --itemize-changes "$1/" "$2/" | grep -vc '^\.d' || true; }
mkdir -p "$work/base_ingot" && "$INGOT_BIN" image apply bench@1 "$work/base_ingot" --server "$server" >/dev/null
echo "  ingot lay-down vs n: $(same "$cache/n" "$work/base_ingot") differing entries (rsync -nc, content/mode/owner)"
cp -a "$cache/n" "$work/base_rsync"

# --- 2. upgrade n -> n+1 ----------------------------------------------------------------------
echo "-- upgrade n -> n+1 of a laid-down n (median of $runs)"
# Each tool upgrades a target it laid down itself (ingot's may carry the store's clamped mtimes,
# which would make rsync's quick check resend everything).
upgrade() {  # NAME BASE CMD: CMD upgrades $work/dst, a fresh copy of BASE
  measure "upgrade_$1" "$runs" "fresh_dst; cp -a \"\$work/$2/.\" \"\$work/dst/\"; sync" "$3"
}
upgrade ingot base_ingot          '"$INGOT_BIN" image apply bench@2 "$work/dst" --server "$server"'
upgrade rsync_a base_rsync       'rsync -a --delete --stats "$rs/n1/" "$work/dst/"'
upgrade rsync_az base_rsync      'rsync -az --delete --stats "$rs/n1/" "$work/dst/"'
upgrade rsync_ac base_rsync      'rsync -a --delete --checksum --stats "$rs/n1/" "$work/dst/"'
upgrade rsync_azc base_rsync     'rsync -az --delete --checksum --stats "$rs/n1/" "$work/dst/"'
for n in ingot rsync_a rsync_az rsync_ac rsync_azc; do
  if [[ $n == ingot ]]; then b=$(ingot_bytes "$work/out.upgrade_ingot"); else b=$(rsync_bytes "$work/out.upgrade_$n"); fi
  printf -v "bytes_$n" '%s' "$b"
  echo "  $n: $b bytes on the wire"
done
echo "  rsync-upgraded n vs n+1: $(same "$cache/n1" "$work/dst") differing entries"
fresh_dst && cp -a "$work/base_ingot/." "$work/dst/" && "$INGOT_BIN" image apply bench@2 "$work/dst" --server "$server" >/dev/null
echo "  ingot-upgraded n vs n+1: $(same "$cache/n1" "$work/dst") differing entries"
upgrade_delta_report() {  # what the ingot upgrade took from deltas, and the --from (believed n) variant
  grep -o '[0-9]* via deltas ([0-9]* bytes)' "$work/out.upgrade_ingot" | sed 's/^/  ingot upgrade: /'
  upgrade ingot_from base_ingot '"$INGOT_BIN" image apply bench@2 "$work/dst" --server "$server" --from bench@1'
  bytes_ingot_from=$(ingot_bytes "$work/out.upgrade_ingot_from")
  echo "  ingot --from bench@1 (unchanged files by size+mtime, not hashed): $bytes_ingot_from bytes on the wire"
  echo "  ingot --from-upgraded n vs n+1: $(same "$cache/n1" "$work/dst") differing entries"
}
upgrade_delta_report
cp -a "$work/dst" "$work/up_ingot" && release_dst
# The practical floor depends only on the trees and costs minutes at -19: cached with them.
if [[ ! -s $cache/floor ]]; then
  tar -C "$cache/n" -cf "$work/n.tar" . && tar -C "$cache/n1" -cf "$work/n1.tar" .
  zstd -19 --long=28 -T0 -q --patch-from="$work/n.tar" -c "$work/n1.tar" 2>/dev/null | wc -c >"$cache/floor"
  rm -f "$work/n.tar" "$work/n1.tar"
fi
floor=$(cat "$cache/floor")
echo "  floor: zstd -19 --long=28 --patch-from of the two tars: $floor bytes"

# --- 3. no-change verify pass -----------------------------------------------------------------
echo "-- no-change verify pass on an up-to-date n+1 (median of $runs)"
rm -rf "$work/dst" "$work/base_rsync" "$work/base_ingot" && cp -a "$cache/n1" "$work/dst"
noop() { measure "$1" "$runs" ':' "$2"; }
noop noop_ingot_dry   '"$INGOT_BIN" image apply bench@2 "$work/up_ingot" --server "$server" --dry-run'
noop noop_rsync_a     'rsync -a --delete --stats "$rs/n1/" "$work/dst/"'
noop noop_rsync_ac    'rsync -a --delete --checksum --stats "$rs/n1/" "$work/dst/"'
verify_target() {  # drift check of the up-to-date tree: metadata only, then every file hashed
  local v='"$INGOT_BIN" image verify bench@2 --target "$work/up_ingot" --store "$state/images" --pubkey "$state/keys/image-signing.pub"'
  noop noop_ingot_verify_quick "$v"
  noop noop_ingot_verify_full "$v --full"
}
verify_target

# --- results ----------------------------------------------------------------------------------
echo "-- results"
fastest_rsync=$(printf '%s\n' "$t_upgrade_rsync_a" "$t_upgrade_rsync_az" "$t_upgrade_rsync_ac" "$t_upgrade_rsync_azc" | sort -g | head -n1)
result laydown_seconds      "$t_laydown_ingot" rsync_a "$t_laydown_rsync_a" 2.0 lower
result laydown_seconds_az   "$t_laydown_ingot" rsync_az "$t_laydown_rsync_az" 2.0 lower
result laydown_seconds_tar  "$t_laydown_ingot" tar_zstd "$t_laydown_tar_zstd" 2.0 lower
result upgrade_bytes        "$bytes_ingot" rsync_z "$bytes_rsync_az" 1.0 lower
result upgrade_bytes_floor  "$bytes_ingot" zstd_patch "$floor" 1.0 lower
result upgrade_seconds      "$t_upgrade_ingot" rsync_fastest "$fastest_rsync" 2.0 lower
result upgrade_bytes_from   "$bytes_ingot_from" rsync_z "$bytes_rsync_az" 1.0 lower
result upgrade_seconds_from "$t_upgrade_ingot_from" rsync_fastest "$fastest_rsync" 2.0 lower
result noop_apply_dry_seconds "$t_noop_ingot_dry" rsync_checksum "$t_noop_rsync_ac" 1.0 lower
result noop_verify_seconds  "$t_noop_ingot_verify_full" rsync_checksum "$t_noop_rsync_ac" 1.0 lower
result noop_quick_verify_seconds "$t_noop_ingot_verify_quick" rsync_a "$t_noop_rsync_a" 1.0 lower
