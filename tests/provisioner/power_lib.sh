# Shared by the power script tests: named checks that count failures, and process probes.
failures=0
check() {  # check NAME COMMAND...: runs COMMAND, prints ok/FAIL with NAME
  local name=$1
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}
has() { grep -qF -- "$2" <<<"$1"; }
lacks() { ! grep -qF -- "$2" <<<"$1"; }
# Gone or a zombie waiting for its reaper: either way no longer running.
gone() { local st; st=$(cat "/proc/$1/stat" 2>/dev/null) || return 0; st=${st##*) }; [ "${st%% *}" = Z ]; }
differs() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" != "$2" ]; }
# Ends the test: exit status 0 only when every check passed.
finish() {
  echo "$failures failure(s)"
  [ "$failures" = 0 ]
}
