#!/usr/bin/env bash
# with-services.sh CMD [ARGS...]
# Brings up a throw-away Kafka broker and Redis on 127.0.0.1, runs CMD with
# ACTUATE_TEST_KAFKA_BROKERS and ACTUATE_TEST_REDIS_ADDR exported, always tears both down, and
# exits with CMD's exit code. Ports: see kafka.sh and redis.sh (free ones are picked unless
# ACTUATE_KAFKA_PORT / ACTUATE_REDIS_PORT are set).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -gt 0 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/actuate-with-services.XXXXXX")
kafka_up="" redis_up=""
kafka_bg=""

# shellcheck disable=SC2317 # reached through the trap
teardown() {
  local rc=$?
  trap - EXIT INT TERM
  # A start-up still running in the background (we failed early) would leave a broker behind.
  if [ -n "$kafka_bg" ] && kill -0 "$kafka_bg" 2>/dev/null; then
    wait "$kafka_bg" 2>/dev/null || true
    [ -s "$work/kafka.env" ] && kafka_up=$(cat "$work/kafka.env")
  fi
  # Only the instances this run started, by their own port: never a default port that might be
  # somebody else's.
  if [ -n "$kafka_up" ]; then (eval "$kafka_up" && "$here/kafka.sh" down) || true; fi
  if [ -n "$redis_up" ]; then (eval "$redis_up" && "$here/redis.sh" down) || true; fi
  rm -rf "$work"
  exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Kafka (JVM start, or the jar download on a first run) is the slow part; bring Redis up meanwhile.
"$here/kafka.sh" up >"$work/kafka.env" &
kafka_bg=$!
redis_up=$("$here/redis.sh" up)
if ! wait "$kafka_bg"; then
  kafka_bg=""
  echo "[testenv] ERROR: Kafka did not come up" >&2
  exit 1
fi
kafka_bg=""
kafka_up=$(cat "$work/kafka.env")
eval "$kafka_up"
eval "$redis_up"
export ACTUATE_TEST_KAFKA_BROKERS ACTUATE_TEST_REDIS_ADDR
echo "[testenv] ACTUATE_TEST_KAFKA_BROKERS=$ACTUATE_TEST_KAFKA_BROKERS ACTUATE_TEST_REDIS_ADDR=$ACTUATE_TEST_REDIS_ADDR" >&2

set +e
"$@"
rc=$?
set -e
exit "$rc"
