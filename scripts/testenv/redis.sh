#!/usr/bin/env bash
# A throw-away Redis on 127.0.0.1 for the integration tests: no persistence, own pid/log dir.
#
#   redis.sh up     install redis-server if missing (as root, via apt), start it; prints `export ...`
#   redis.sh down   stop the Redis on $ACTUATE_REDIS_PORT
#   redis.sh env    print the exports for the Redis running on $ACTUATE_REDIS_PORT
#
# Environment:
#   ACTUATE_REDIS_PORT   port; unset = first free of 6379, 6380, ...; set = must be free
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

PROC_WORD="redis-server"

ensure_redis() {
  command -v redis-server >/dev/null && return 0
  [ "$(id -u)" = 0 ] || die "redis-server is missing; install it (sudo apt-get install -y redis-server)"
  log "installing redis-server with apt-get (once)"
  # Concurrent installs would fight over the dpkg lock; serialise our own.
  mkdir -p "$TESTENV_RUN"
  exec 8>"$TESTENV_RUN/.apt.lock"
  flock 8
  if ! command -v redis-server >/dev/null; then
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server; } \
      >"$TESTENV_RUN/apt.log" 2>&1 || { tail_log "$TESTENV_RUN/apt.log"; die "apt-get install redis-server failed"; }
  fi
  exec 8>&-
  command -v redis-server >/dev/null || die "redis-server still missing after apt-get install"
}

redis_ping() {
  local line
  # shellcheck disable=SC2016 # expanded by the inner bash
  line=$(timeout 2 bash -c '
      exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
      printf "PING\r\n" >&3
      IFS= read -r line <&3 && printf "%s" "$line"' _ "$1" 2>/dev/null) || return 1
  [ "${line%$'\r'}" = "+PONG" ]
}

# Sets PORT and DIR (claimed).
choose_port() {
  local candidates p
  if [ -n "${ACTUATE_REDIS_PORT:-}" ]; then
    candidates=("$ACTUATE_REDIS_PORT")
  else
    candidates=()
    for ((p = 6379; p < 6399; p++)); do candidates+=("$p"); done
  fi
  for p in "${candidates[@]}"; do
    if [ -n "${ACTUATE_REDIS_PORT:-}" ] &&
      pid_matches "$(cat "$TESTENV_RUN/redis-$p/redis.pid" 2>/dev/null)" "$PROC_WORD"; then
      die "an actuate test Redis is already running on $p; run 'ACTUATE_REDIS_PORT=$p $0 down' first"
    fi
    if port_busy "$p"; then
      [ -n "${ACTUATE_REDIS_PORT:-}" ] &&
        die "127.0.0.1:$p is already in use; set ACTUATE_REDIS_PORT to a free port, or unset it to pick one automatically"
      continue
    fi
    if DIR=$(claim_dir redis "$p" "$PROC_WORD"); then
      PORT=$p
      return 0
    fi
    [ -n "${ACTUATE_REDIS_PORT:-}" ] &&
      die "$TESTENV_RUN/redis-$p exists without a live Redis: another start-up in progress, or a crashed run (then remove it)"
  done
  die "no free port for Redis among ${candidates[*]}"
}

print_env() {
  echo "export ACTUATE_REDIS_PORT=$1 ACTUATE_TEST_REDIS_ADDR=127.0.0.1:$1"
}

cmd_up() {
  ensure_redis
  choose_port
  UP_OK=0
  # Leave nothing behind if start-up fails half way (globals: the trap runs after return).
  trap '[ "$UP_OK" = 1 ] || { stop_pid "$(cat "$DIR/redis.pid" 2>/dev/null)" "$PROC_WORD" 5; rm -rf "$DIR"; }' EXIT
  # --dir: keep any file Redis might write out of the caller's working directory.
  if ! redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --dir "$DIR" \
      </dev/null >"$DIR/stdout.log" 2>&1; then
    tail_log "$DIR/stdout.log"
    die "redis-server failed to start"
  fi
  local deadline=$((SECONDS + 20))
  until redis_ping "$PORT"; do
    if ((SECONDS >= deadline)); then
      tail_log "$DIR/redis.log"
      die "Redis did not answer PING on 127.0.0.1:$PORT within 20s"
    fi
    sleep 0.1
  done
  UP_OK=1
  log "Redis ready on 127.0.0.1:$PORT (pid $(cat "$DIR/redis.pid" 2>/dev/null))"
  print_env "$PORT"
}

cmd_down() {
  local port="${ACTUATE_REDIS_PORT:-6379}" dir
  dir="$TESTENV_RUN/redis-$port"
  [ -d "$dir" ] || { log "no actuate test Redis on $port"; return 0; }
  stop_pid "$(cat "$dir/redis.pid" 2>/dev/null)" "$PROC_WORD" 10
  rm -rf "$dir"
  log "Redis on $port stopped"
}

cmd_env() {
  local port="${ACTUATE_REDIS_PORT:-6379}"
  pid_matches "$(cat "$TESTENV_RUN/redis-$port/redis.pid" 2>/dev/null)" "$PROC_WORD" ||
    die "no actuate test Redis running on $port (run '$0 up')"
  print_env "$port"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  env) cmd_env ;;
  *) echo "usage: $0 up|down|env" >&2; exit 2 ;;
esac
