# Shared by bench/*.sh: locating binaries and printing result lines.
INGOT_SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INGOT_BIN="${INGOT_BIN:-$INGOT_SOURCE_DIR/build/ci/provisioner/ingot}"
INGOT_AGENT_BIN="${INGOT_AGENT_BIN:-$INGOT_SOURCE_DIR/build/ci/provisioner/ingot-agent}"
[[ -x "$INGOT_BIN" ]] || { echo "bench: build first (cmake --preset ci && cmake --build --preset ci)" >&2; exit 2; }

# result MEASURE INGOT_VALUE PEER_NAME PEER_VALUE TARGET_RATIO higher|lower
# ratio = ingot/peer for "higher is better" measures, peer/ingot for "lower is better", so a
# ratio >= target is always "ok".
result() {
  local measure=$1 iv=$2 peer=$3 pv=$4 target=$5 better=$6 ratio verdict
  if [[ $better == higher ]]; then
    ratio=$(awk -v a="$iv" -v b="$pv" 'BEGIN{ if (b==0) print "inf"; else printf "%.2f", a/b }')
  else
    ratio=$(awk -v a="$iv" -v b="$pv" 'BEGIN{ if (a==0) print "inf"; else printf "%.2f", b/a }')
  fi
  verdict=$(awk -v r="$ratio" -v t="$target" 'BEGIN{ print (r=="inf" || r+0 >= t+0) ? "ok" : "short" }')
  echo "$measure: ingot=$iv $peer=$pv ratio=$ratio target=$target $verdict"
}

# A free TCP port on loopback for a server the bench starts.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
