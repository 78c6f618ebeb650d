#!/usr/bin/env bash
# bench/run upgrade: issue 8, acceptance 4. The v1 -> v2 upgrade of a laid-down Debian 12 minbase
# tree (bench/sync.sh's cached pair: v2 adds python3, curl, openssh-client... and changes two
# configs): `ingot-agent upgrade --to` against `ingot serve` on 127.0.0.1 vs the eDeploy way,
# `rsync -a --delete --exclude-from=<keep list>` (and with -z) from an rsync daemon, in one run.
# Bytes on the wire: IP bytes of each server's TCP port both ways (an nftables counter on the
# loopback output hook), so HTTP headers, manifests and rsync's file lists all count.
# Time: wall clock of the command, median of RUNS (default 3); ingot's includes its staging,
# hooks, journal and syncfs (crash safety), rsync's does not sync (also shown with a `sync`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
source "$here/sync/trees.sh"
source "$here/sync/measure.sh"
source "$here/sync/setup.sh"
image_bench_setup upgrade
table="ingot_bench_upgrade_$$"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  nft delete table inet "$table" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "trees: $(cat "$cache/source")"
# The node's own paths: the recipe's keep list for ingot, the same list as rsync excludes.
keep=(/etc/hostname /etc/fstab /etc/ssh/ssh_host_* /var/log /var/lib/ingot)
printf '%s\n' "${keep[@]}" >"$work/keep.txt"

export SOURCE_DATE_EPOCH=1700000000
state=$work/state
mkdir -p "$work/bench"
python3 -c 'import json,sys; print(json.dumps({"keep": sys.argv[1:5]}))' /etc/hostname /etc/fstab '/etc/ssh/ssh_host_*' /var/log >"$work/bench/recipe.json"
"$INGOT_BIN" key generate --out "$state/keys" >/dev/null
for v in 1 2; do
  tree=$cache/n; [[ $v == 2 ]] && tree=$cache/n1
  "$INGOT_BIN" image build "$work/bench" --version $v --from-tree "$tree" --store "$state/images" \
    --key "$state/keys/image-signing.key" >>"$work/build.log" 2>&1
done
start_image_server "$state"
start_rsyncd n1="$cache/n1"
wait_servers upgrade

# Bytes on the wire per server port, both directions, counted where loopback packets leave.
nft -f - <<EOF2
table inet $table {
  counter http {}
  counter rsync {}
  chain out {
    type filter hook output priority 0; policy accept;
    tcp sport $http_port counter name http
    tcp dport $http_port counter name http
    tcp sport $rsync_port counter name rsync
    tcp dport $rsync_port counter name rsync
  }
}
EOF2
wire() { nft reset counter inet "$table" "$1" | awk '/bytes/ { for (i = 1; i <= NF; i++) if ($i == "bytes") print $(i + 1) }'; }

# The deployed v1 each tool starts from: ingot's as its deploy lays it (mtimes from the
# manifest); rsync's a copy of the tree (its quick check then sees only real changes).
"$INGOT_AGENT_BIN" install bench@1 --server "$server" --target "$work/base_ingot" >/dev/null
mkdir -p "$work/base_ingot/etc/ssh" && echo node-1 >"$work/base_ingot/etc/hostname"
cp -a "$cache/n" "$work/base_rsync" && echo node-1 >"$work/base_rsync/etc/hostname"
# Deltas are built lazily on the first request for a pair: warm them like a rollout's canary would.
cp -a "$work/base_ingot" "$work/warm" && "$INGOT_AGENT_BIN" upgrade --to bench@2 --server "$server" --root "$work/warm" --no-reboot >/dev/null
rm -rf "$work/warm"
tar -C "$cache" -cf - n n1 | cat >/dev/null

echo "-- upgrade v1 -> v2 of a laid-down v1 (median of $runs; bytes of the last run)"
upgrade() {  # NAME BASE CMD
  measure "$1" "$runs" "rm -rf \"\$work/dst\"; cp -a \"\$work/$2\" \"\$work/dst\"; sync; wire http >/dev/null; wire rsync >/dev/null" "$3"
}
upgrade ingot base_ingot '"$INGOT_AGENT_BIN" upgrade --to bench@2 --server "$server" --root "$work/dst" --no-reboot --json'
bytes_ingot=$(wire http)
cp "$work/out.ingot" "$work/ingot.json"
rsync_cmd='rsync -a --delete --exclude-from="$work/keep.txt" --stats "$rs/n1/" "$work/dst/"'
upgrade rsync_a base_rsync "$rsync_cmd"
bytes_rsync_a=$(wire rsync)
upgrade rsync_az base_rsync "${rsync_cmd/-a /-az }"
bytes_rsync_az=$(wire rsync)
upgrade rsync_a_sync base_rsync "$rsync_cmd && sync"
wire rsync >/dev/null
python3 - "$work/ingot.json" <<'EOF2'
import json, sys
d = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
x = d["data"]
print(f"  ingot: {d['status']} {d['from']} -> {d['to']}: {x['files']} paths ({x['added']} added, {x['changed']} replaced, "
      f"{x['metadata']} metadata, {x['removed']} removed), objects fetched {x['bytes_fetched']} B of which deltas "
      f"{x['bytes_delta']} B ({x['deltas']} files), {x['objects_local']} copied locally, engine {x['seconds']:.2f} s")
EOF2
echo "  wire bytes: ingot=$bytes_ingot rsync_a=$bytes_rsync_a rsync_az=$bytes_rsync_az"
same() { rsync -rlpgoDnc --delete --exclude-from="$work/keep.txt" --itemize-changes "$1/" "$2/" | grep -vc '^\.d' || true; }
rm -rf "$work/dst" && cp -a "$work/base_ingot" "$work/dst"
"$INGOT_AGENT_BIN" upgrade --to bench@2 --server "$server" --root "$work/dst" --no-reboot >/dev/null
echo "  ingot-upgraded v1 vs v2: $(same "$cache/n1" "$work/dst") differing entries (rsync -nc, content/mode/owner; keep list aside)"

echo "-- results"
fastest_rsync=$(printf '%s\n' "$t_rsync_a" "$t_rsync_az" | sort -g | head -n1)
result upgrade_wire_bytes     "$bytes_ingot" rsync_z "$bytes_rsync_az" 1.0 lower
result upgrade_wire_bytes_a   "$bytes_ingot" rsync_a "$bytes_rsync_a" 1.0 lower
result upgrade_seconds        "$t_ingot" rsync_fastest "$fastest_rsync" 2.0 lower
result upgrade_seconds_synced "$t_ingot" rsync_a_sync "$t_rsync_a_sync" 2.0 lower
