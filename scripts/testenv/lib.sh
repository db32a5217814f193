# shellcheck shell=bash
# Shared helpers for the test-environment scripts; sourced, never run.
# Progress goes to stderr so that stdout of `up` stays a clean, eval-able list of exports.

# Per-instance state (config, data, logs, pid) lives under one run dir in TMPDIR, one
# sub-directory per service and port, so that several checkouts or engineers on the same
# machine can run their own instances side by side.
TESTENV_RUN="${ACTUATE_TESTENV_RUN:-${TMPDIR:-/tmp}/actuate-testenv}"

log() { printf '[testenv] %s\n' "$*" >&2; }
die() { printf '[testenv] ERROR: %s\n' "$*" >&2; exit 1; }

# port_busy PORT: true if something accepts TCP connections on 127.0.0.1:PORT.
port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pid_matches PID WORD: the pid is alive and its command line mentions WORD. Checked before
# every kill so that a stale pid file can never make us signal a recycled, unrelated pid.
pid_matches() {
  local pid=$1 word=$2 cmd
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ "$cmd" == *"$word"* ]]
}

# stop_pid PID WORD TIMEOUT_S: SIGTERM, wait, then SIGKILL.
stop_pid() {
  local pid=$1 word=$2 timeout=$3 i
  pid_matches "$pid" "$word" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < timeout * 10; i++)); do
    pid_matches "$pid" "$word" || return 0
    sleep 0.1
  done
  log "pid $pid did not stop within ${timeout}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    pid_matches "$pid" "$word" || return 0
    sleep 0.1
  done
}

# claim_dir SERVICE PORT WORD: atomically claim $TESTENV_RUN/SERVICE-PORT (mkdir is atomic, so two
# concurrent `up`s never pick the same port). A dir left by a crashed run whose process is gone is
# reclaimed. Prints the dir; fails if a live instance owns it.
claim_dir() {
  local service=$1 port=$2 word=$3 dir
  dir="$TESTENV_RUN/$service-$port"
  mkdir -p "$TESTENV_RUN"
  if mkdir "$dir" 2>/dev/null; then
    echo "$dir"
    return 0
  fi
  if pid_matches "$(cat "$dir/$service.pid" 2>/dev/null)" "$word"; then
    return 1
  fi
  # A dir without a live process: a crashed run, or another `up` that is still between claiming
  # and writing its pid file. Only reclaim once it is clearly old, to not race the latter.
  if [ -n "$(find "$dir" -maxdepth 0 -mmin +2 2>/dev/null)" ]; then
    rm -rf "$dir"
    mkdir "$dir" 2>/dev/null && { echo "$dir"; return 0; }
  fi
  return 1
}

# tail_log FILE: the last lines of a log, indented, for error messages.
tail_log() {
  [ -s "$1" ] || return 0
  log "---- last lines of $1 ----"
  tail -n "${2:-40}" "$1" | sed 's/^/    /' >&2
  log "----"
}
