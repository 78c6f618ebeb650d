# Sourced by bench/sync.sh: timing, medians, byte counts and ports for the sync bench.

# measure VAR RUNS PREP CMD: RUNS times, eval PREP (not timed) then CMD (timed, output kept in
# $work/out.VAR); sets t_VAR to the median seconds and prints every run.
measure() {
  local var=$1 n=$2 prep=$3 cmd=$4 i t0 t1 times=()
  for ((i = 0; i < n; i++)); do
    eval "$prep"
    t0=$(date +%s.%N)
    if ! eval "$cmd" >"$work/out.$var" 2>&1; then
      echo "bench/sync: $var failed: $cmd" >&2; cat "$work/out.$var" >&2; return 1
    fi
    t1=$(date +%s.%N)
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{ printf "%.3f", b-a }')")
  done
  printf -v "t_$var" '%s' "$(printf '%s\n' "${times[@]}" | sort -g | awk '{ v[NR]=$1 } END{ print v[int((NR+1)/2)] }')"
  local m="t_$var"
  echo "  $var: ${!m} s (runs: ${times[*]})"
}

# Bytes the apply reported fetching ("... N bytes fetched from ..."): object bodies over HTTP.
ingot_bytes() { grep -o '[0-9]* bytes fetched' "$1" | tail -n1 | awk '{print $1}'; }

# rsync --stats: both directions count on the wire (the file list and checksums go up too).
rsync_bytes() {
  awk -F': ' '/^Total bytes (sent|received)/ { gsub(",", "", $2); s += $2 } END{ print s+0 }' "$1"
}


wait_port() {
  local i
  for ((i = 0; i < 100; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
