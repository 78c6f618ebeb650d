# Process handling for the e2e harness (sourced by lib/e2e.sh): start a program inside the test
# namespace with its output time-stamped into $E2E_DIR/NAME.log, stop it by PID, wait on its log.
# Every line of every log carries seconds since the run began, so server and console lines can
# be read side by side on one clock.

declare -gA E2E_PID=()      # NAME -> pid of the program
declare -gA E2E_STAMPER=()  # NAME -> pid of the subshell time-stamping its output
declare -ga E2E_STARTED=()  # NAMEs in start order; cleanup stops them in reverse

# Seconds since E2E_T0_US, milliseconds precision, from bash's own clock (no fork per line).
e2e_now() {
  local d=$(( ${EPOCHREALTIME//[!0-9]/} - E2E_T0_US ))
  printf '%d.%03d' $((d / 1000000)) $((d / 1000 % 1000))
}

# Reads stdin, writes "[   s.mmm] line" to stdout. Firmware consoles are full of ANSI escapes and
# carriage returns: drop them so the logs grep cleanly. With E2E_LIVE set, also echoes each line,
# prefixed with the source name, to stderr (the terminal of scripts/demo.sh).
_e2e_stamp() {
  local name=$1 raw line d
  sed -u -e 's/\x1b\[[0-9;?=]*[A-Za-z]//g' -e 's/\x1b[()][0-9A-Za-z]//g' -e 's/\x1b[c78=>]//g' -e 's/\r//g' |
    while IFS= read -r raw || [[ -n $raw ]]; do
      d=$(( ${EPOCHREALTIME//[!0-9]/} - E2E_T0_US ))
      printf -v line '[%4d.%03d] %s' $((d / 1000000)) $((d / 1000 % 1000)) "$raw"
      printf '%s\n' "$line"
      if [[ -n ${E2E_LIVE:-} && $raw == *[![:space:]]* ]]; then printf '%-7s %s\n' "$name" "$line" >&2; fi
    done
}

# e2e_spawn NAME [--ns NETNS] -- CMD...: runs CMD in the test namespace (or NETNS; "-" = host)
# with stdin from /dev/null and stdout+stderr appended to $E2E_DIR/NAME.log (a name may be started
# again once stopped, e.g. a machine powered on twice: one log).
e2e_spawn() {
  local name=$1 ns=$E2E_NS; shift
  if [[ ${1:-} == --ns ]]; then ns=$2; shift 2; fi
  [[ ${1:-} == -- ]] && shift
  [[ -z ${E2E_PID[$name]:-} ]] || e2e_die "e2e_spawn: '$name' is already running"
  local fifo=$E2E_DIR/.$name.fifo
  rm -f "$fifo"; mkfifo "$fifo"
  _e2e_stamp "$name" <"$fifo" >>"$E2E_DIR/$name.log" &
  E2E_STAMPER[$name]=$!
  if [[ $ns == - ]]; then
    "$@" </dev/null >"$fifo" 2>&1 &
  else
    # `ip netns exec` execs CMD after setns, so $! is CMD's own pid.
    ip netns exec "$ns" "$@" </dev/null >"$fifo" 2>&1 &
  fi
  E2E_PID[$name]=$!
  [[ " ${E2E_STARTED[*]} " == *" $name "* ]] || E2E_STARTED+=("$name")
}

e2e_running() {
  local pid=${E2E_PID[$1]:-}
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null
}

# Waits for NAME's stamper to drain the output and exit.
_e2e_reap() {
  local name=$1 pid=${E2E_PID[$1]:-} st=${E2E_STAMPER[$1]:-} rc=0
  [[ -n $pid ]] && { wait "$pid" 2>/dev/null || rc=$?; }
  if [[ -n $st ]]; then
    local i
    for ((i = 0; i < 50; i++)); do kill -0 "$st" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$st" 2>/dev/null && kill -KILL "$st" 2>/dev/null
    wait "$st" 2>/dev/null || true
  fi
  E2E_PID[$name]=""
  E2E_STAMPER[$name]=""
  return $rc
}

# e2e_stop NAME [GRACE_SECONDS]: SIGTERM, then SIGKILL after the grace period; by PID only.
e2e_stop() {
  local name=$1 grace=${2:-5} pid=${E2E_PID[$1]:-} i
  [[ -n $pid ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  _e2e_reap "$name" || true
}

e2e_stop_all() {
  local i
  for ((i = ${#E2E_STARTED[@]} - 1; i >= 0; i--)); do e2e_stop "${E2E_STARTED[i]}"; done
  E2E_STARTED=()
}

# e2e_wait_log NAME REGEX TIMEOUT_S: 0 once REGEX (grep -E) appears in NAME's log; 1 at the
# deadline or as soon as NAME has exited without printing it.
e2e_wait_log() {
  local name=$1 re=$2 timeout=$3 log=$E2E_DIR/$1.log
  local deadline=$(( ${EPOCHREALTIME//[!0-9]/} + timeout * 1000000 ))
  while (( ${EPOCHREALTIME//[!0-9]/} < deadline )); do
    grep -qaE -- "$re" "$log" 2>/dev/null && return 0
    if ! e2e_running "$name"; then
      sleep 0.3  # let the stamper flush the last lines
      grep -qaE -- "$re" "$log" 2>/dev/null && return 0
      echo "e2e: $name exited before printing /$re/" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "e2e: no /$re/ in $name's log after ${timeout}s" >&2
  return 1
}

# e2e_wait_exit NAME TIMEOUT_S: 0 once NAME has exited by itself (its status in E2E_EXIT).
e2e_wait_exit() {
  local name=$1 timeout=$2 i
  for ((i = 0; i < timeout * 10; i++)); do
    if ! e2e_running "$name"; then
      E2E_EXIT=0
      _e2e_reap "$name" || E2E_EXIT=$?
      return 0
    fi
    sleep 0.1
  done
  echo "e2e: $name still running after ${timeout}s" >&2
  return 1
}

# First time stamp (seconds) of a line matching REGEX in NAME's log, or empty.
e2e_log_time() {
  { grep -aE -m1 -- "$2" "$E2E_DIR/$1.log" 2>/dev/null || true; } | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p'
}
