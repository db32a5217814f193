#!/usr/bin/env bash
# A throw-away, single-node Apache Kafka broker (KRaft, combined broker+controller) on 127.0.0.1
# for the integration tests. There is no Kafka package in Debian and no Docker here, so the broker
# runs straight from its Maven Central jars, fetched once into a cache outside git.
#
#   kafka.sh up     start a fresh broker; prints `export ...` lines (eval them)
#   kafka.sh down   stop the broker on $ACTUATE_KAFKA_PORT and delete its data
#   kafka.sh stop   stop the broker on $ACTUATE_KAFKA_PORT but keep its data and config
#   kafka.sh start  start the stopped broker on $ACTUATE_KAFKA_PORT again, on the same data;
#                   waits until it is ready and prints the exports like `up`
#   kafka.sh env    print the exports for the broker running on $ACTUATE_KAFKA_PORT
#   kafka.sh fetch  only download the jars (e.g. to warm a cache)
#
# stop/start are a broker restart as production sees one (topics, committed offsets and
# transaction state survive), for the tests that restart Kafka under load. Both need
# ACTUATE_KAFKA_PORT set: a default port may be somebody else's broker.
#
# Environment:
#   ACTUATE_KAFKA_PORT            client port; unset = first free of 9092, 9094, ... (so a
#                                 developer's own broker on 9092 does not collide); set = must be free
#   ACTUATE_KAFKA_CONTROLLER_PORT controller port (default: client port + 1)
#   ACTUATE_KAFKA_VERSION         org.apache.kafka:kafka_2.13 version (default below)
#   ACTUATE_CACHE                 jar cache root (default $HOME/.cache/actuate)
#   ACTUATE_KAFKA_START_TIMEOUT   seconds to wait for the broker (default 180: a JVM start on two busy shared cores can take a minute)
#   ACTUATE_KAFKA_STOP_TIMEOUT    seconds `stop` waits for a controlled shutdown before SIGKILL (default 60)
#   ACTUATE_KAFKA_JVM_OPTS        extra JVM options
#   ACTUATE_TESTENV_KEEP=1        `down` keeps the data/log dir for a post-mortem
#
# A SASL_SSL listener, for the tests of Actuate's own TLS and SASL settings (unset: none, and
# the broker is exactly the plain one above). The PLAINTEXT listener stays on the client port
# for the readiness check, the inter-broker traffic and a test's own set-up.
#   ACTUATE_KAFKA_BROKER_SASL_SSL_PORT  port of the SASL_SSL listener on 127.0.0.1
#   ACTUATE_KAFKA_BROKER_KEYSTORE_PEM   the broker's unencrypted PKCS#8 private key and its
#                                       certificate chain in one PEM file (required with the port)
#   ACTUATE_KAFKA_BROKER_CLIENT_CA_PEM  optional: clients must present a certificate this CA signed
#   ACTUATE_KAFKA_BROKER_USERS          user:password[,user:password...]: each may sign in with
#                                       PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 (SCRAM credentials
#                                       are added when the log dir is formatted; keep ',', ']' and
#                                       '"' out of them). OAUTHBEARER is on too, with Kafka's
#                                       unsecured-JWT validator: test use only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

KAFKA_VERSION="${ACTUATE_KAFKA_VERSION:-4.1.2}"
# log4j-core is already a dependency of kafka-server; the binding routes Kafka's slf4j calls to it.
# slf4j-api is pinned to 2.x to match the slf4j2 binding (Kafka itself still pulls 1.7.x, and
# 2.x serves 1.7 callers).
LOG4J_VERSION="${ACTUATE_LOG4J_VERSION:-2.25.3}"
SLF4J_VERSION="${ACTUATE_SLF4J_VERSION:-2.0.17}"
DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
CACHE_DIR="${ACTUATE_CACHE:-${HOME:-/tmp}/.cache/actuate}/kafka-$KAFKA_VERSION"
LIBS="$CACHE_DIR/libs"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# What identifies our broker's process in /proc/PID/cmdline.
PROC_WORD="kafka.Kafka"

fetch_jars() {
  [ -f "$LIBS/.complete" ] && return 0
  command -v mvn >/dev/null || die "mvn is needed once to fetch the Kafka jars (apt-get install -y maven)"
  mkdir -p "$CACHE_DIR"
  # Two concurrent first runs must not interleave their downloads into one libs dir.
  exec 9>"$CACHE_DIR/.lock"
  flock 9
  if [ -f "$LIBS/.complete" ]; then exec 9>&-; return 0; fi
  log "fetching org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its dependencies into $LIBS (once)"
  cat >"$CACHE_DIR/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>actuate.testenv</groupId>
  <artifactId>kafka-broker-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>$SLF4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
EOF
  rm -rf "$LIBS.tmp" "$LIBS"
  if ! mvn -B -f "$CACHE_DIR/pom.xml" "$DEP_PLUGIN:copy-dependencies" \
      -DincludeScope=runtime -DoutputDirectory="$LIBS.tmp" >"$CACHE_DIR/mvn.log" 2>&1; then
    tail_log "$CACHE_DIR/mvn.log" 60
    die "mvn could not resolve kafka_2.13:$KAFKA_VERSION (see $CACHE_DIR/mvn.log)"
  fi
  # Fail here rather than with a ClassNotFoundException in the broker log.
  ls "$LIBS.tmp/kafka_2.13-$KAFKA_VERSION.jar" "$LIBS.tmp"/log4j-slf4j2-impl-*.jar >/dev/null 2>&1 ||
    die "jar download incomplete; see $CACHE_DIR/mvn.log"
  touch "$LIBS.tmp/.complete"
  mv "$LIBS.tmp" "$LIBS"
  exec 9>&-
  log "cached $(find "$LIBS" -name '*.jar' | wc -l) jars"
}

# Sets PORT, CPORT and DIR (claimed).
choose_ports() {
  local candidates p c
  if [ -n "${ACTUATE_KAFKA_PORT:-}" ]; then
    candidates=("$ACTUATE_KAFKA_PORT")
  else
    candidates=()
    for ((p = 9092; p < 9132; p += 2)); do candidates+=("$p"); done
  fi
  for p in "${candidates[@]}"; do
    c="${ACTUATE_KAFKA_CONTROLLER_PORT:-$((p + 1))}"
    if [ -n "${ACTUATE_KAFKA_PORT:-}" ] &&
      pid_matches "$(cat "$TESTENV_RUN/kafka-$p/kafka.pid" 2>/dev/null)" "$PROC_WORD"; then
      die "an actuate test broker is already running on $p; run 'ACTUATE_KAFKA_PORT=$p $0 down' first"
    fi
    # A stopped broker's port is free, but its dir holds data that `start` will want back.
    if [ -e "$TESTENV_RUN/kafka-$p/stopped" ]; then
      [ -n "${ACTUATE_KAFKA_PORT:-}" ] &&
        die "a stopped actuate test broker keeps its data in $TESTENV_RUN/kafka-$p; run 'ACTUATE_KAFKA_PORT=$p $0 start' or '... down' first"
      continue
    fi
    if port_busy "$p" || port_busy "$c"; then
      [ -n "${ACTUATE_KAFKA_PORT:-}" ] &&
        die "127.0.0.1:$p or :$c is already in use (another broker?); set ACTUATE_KAFKA_PORT to a free port, or unset it to pick one automatically"
      continue
    fi
    if DIR=$(claim_dir kafka "$p" "$PROC_WORD"); then
      PORT=$p CPORT=$c
      return 0
    fi
    [ -n "${ACTUATE_KAFKA_PORT:-}" ] &&
      die "$TESTENV_RUN/kafka-$p exists without a live broker: another start-up in progress, or a crashed run (then remove it)"
  done
  die "no free port pair for Kafka among ${candidates[*]}"
}

# broker_ready PORT: the broker answers a Metadata request listing at least one broker. A KRaft
# broker only serves client requests once it has caught up with the metadata log and is
# unfenced, so this is the real "ready", not merely "port open".
broker_ready() {
  local bytes
  # Metadata v4 (v0-v3 are gone in Kafka 4): size=16, api_key=3, version=4, correlation_id=1,
  # client_id="t", topics=[] (none), allow_auto_topic_creation=false.
  # shellcheck disable=SC2016 # expanded by the inner bash
  bytes=$(timeout 3 bash -c '
      exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
      printf "\x00\x00\x00\x10\x00\x03\x00\x04\x00\x00\x00\x01\x00\x01t\x00\x00\x00\x00\x00" >&3
      head -c 16 <&3' _ "$1" 2>/dev/null | od -An -tu1 -v | tr -s ' \n' ' ') || return 1
  # Response: size(4) correlation_id(4) throttle_time_ms(4) brokers_count(4).
  local a
  read -r -a a <<<"$bytes"
  [ "${#a[@]}" -eq 16 ] || return 1
  [ "${a[4]}${a[5]}${a[6]}${a[7]}" = "0001" ] || return 1
  [ $(((a[12] << 24) | (a[13] << 16) | (a[14] << 8) | a[15])) -ge 1 ]
}

write_config() {
  mkdir -p "$DIR/data"
  cat >"$DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DIR/data
num.partitions=1
auto.create.topics.enable=true
delete.topic.enable=true
# One node: every internal topic must live with a single replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Tests start consumer groups all the time; the default 3 s join delay would slow every one.
group.initial.rebalance.delay.ms=0
# The internal topics are created on first use; 50 partitions each (the default) costs seconds.
offsets.topic.num.partitions=4
transaction.state.log.num.partitions=4
EOF
  if [ -n "${ACTUATE_KAFKA_BROKER_SASL_SSL_PORT:-}" ]; then write_sasl_ssl_config; fi
  cat >"$DIR/log4j2.properties" <<EOF
status = error
appender.file.type = File
appender.file.name = file
appender.file.fileName = $DIR/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.file.ref = file
# Keep the start/stop lines so the log shows the broker's life cycle.
logger.raft.name = kafka.server.KafkaRaftServer
logger.raft.level = INFO
EOF
}

# write_sasl_ssl_config: adds the SASL_SSL listener of ACTUATE_KAFKA_BROKER_* to $DIR's config
# and sets SCRAM_ARGS, the format options that create its users' SCRAM credentials.
write_sasl_ssl_config() {
  local sport=$ACTUATE_KAFKA_BROKER_SASL_SSL_PORT keystore=${ACTUATE_KAFKA_BROKER_KEYSTORE_PEM:-}
  local users=${ACTUATE_KAFKA_BROKER_USERS:-} plain_users="" entry name password entries
  [ -r "$keystore" ] || die "ACTUATE_KAFKA_BROKER_SASL_SSL_PORT needs ACTUATE_KAFKA_BROKER_KEYSTORE_PEM, a readable PEM file (key and certificate chain)"
  [ -n "$users" ] || die "ACTUATE_KAFKA_BROKER_SASL_SSL_PORT needs ACTUATE_KAFKA_BROKER_USERS (user:password[,user:password...])"
  if port_busy "$sport"; then die "127.0.0.1:$sport (ACTUATE_KAFKA_BROKER_SASL_SSL_PORT) is already in use"; fi
  IFS=, read -r -a entries <<<"$users"
  for entry in "${entries[@]}"; do
    name=${entry%%:*} password=${entry#*:}
    [ -n "$name" ] && [ "$name" != "$entry" ] || die "ACTUATE_KAFKA_BROKER_USERS: an entry is not user:password"
    case "$password" in *[]\"]*) die "ACTUATE_KAFKA_BROKER_USERS: $name's password holds ']' or '\"', which the JAAS and SCRAM settings cannot carry" ;; esac
    plain_users+=" user_$name=\"$password\""
    SCRAM_ARGS+=(--add-scram "SCRAM-SHA-256=[name=$name,password=$password]" --add-scram "SCRAM-SHA-512=[name=$name,password=$password]")
  done
  sed -i -e "s|^listeners=.*|&,SASL_SSL://127.0.0.1:$sport|" \
    -e "s|^advertised.listeners=.*|&,SASL_SSL://127.0.0.1:$sport|" \
    -e "s|^listener.security.protocol.map=.*|&,SASL_SSL:SASL_SSL|" "$DIR/server.properties"
  cat >>"$DIR/server.properties" <<EOF
listener.name.sasl_ssl.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required$plain_users;
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;
listener.name.sasl_ssl.ssl.keystore.type=PEM
listener.name.sasl_ssl.ssl.keystore.location=$keystore
EOF
  if [ -n "${ACTUATE_KAFKA_BROKER_CLIENT_CA_PEM:-}" ]; then
    cat >>"$DIR/server.properties" <<EOF
listener.name.sasl_ssl.ssl.truststore.type=PEM
listener.name.sasl_ssl.ssl.truststore.location=$ACTUATE_KAFKA_BROKER_CLIENT_CA_PEM
listener.name.sasl_ssl.ssl.client.auth=required
EOF
  fi
}

cmd_up() {
  command -v "$JAVA" >/dev/null || die "java (17+) not found"
  fetch_jars
  choose_ports
  # Leave nothing behind if start-up fails half way (globals: the trap runs after return).
  UP_OK=0 UP_PID="" SCRAM_ARGS=()
  trap '[ "$UP_OK" = 1 ] || { [ -n "$UP_PID" ] && stop_pid "$UP_PID" "$PROC_WORD" 5; rm -rf "$DIR"; }' EXIT
  write_config
  jvm_common

  # A random 16-byte id in Kafka's base64url form; saves a JVM start for `StorageTool random-uuid`.
  local cluster_id
  # An id starting with '-' would be read as an option by StorageTool: draw again.
  cluster_id=-
  while [ "${cluster_id#-}" != "$cluster_id" ]; do
    cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  done
  # A one-shot JVM: C1 only and serial GC start faster.
  if ! "$JAVA" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "${JVM[@]}" kafka.tools.StorageTool format -t "$cluster_id" \
      -c "$DIR/server.properties" "${SCRAM_ARGS[@]}" >"$DIR/format.log" 2>&1; then
    tail_log "$DIR/format.log"
    die "formatting the KRaft log dir failed"
  fi

  launch_broker
  UP_PID=$LAUNCH_PID
  wait_ready "$UP_PID"
  UP_OK=1
  log "Kafka ready on 127.0.0.1:$PORT (pid $UP_PID)"
  print_env "$PORT"
}

# jvm_common: sets JVM to the options every Kafka JVM of $DIR needs (up's format and broker,
# start's broker).
jvm_common() {
  JVM=(-Dlog4j2.configurationFile="$DIR/log4j2.properties" -Djava.awt.headless=true -cp "$LIBS/*")
}

# launch_broker: start the broker JVM on $DIR's config in the background; sets LAUNCH_PID
# (a global, not $(...): the broker must be a child of this shell, not of a subshell).
launch_broker() {
  jvm_common
  log "starting Kafka $KAFKA_VERSION on 127.0.0.1:$PORT (controller :$CPORT, dir $DIR)"
  # setsid: a Ctrl-C in the caller's terminal must not kill the broker behind `down`'s back.
  # All three std streams are redirected so that `eval "$(kafka.sh up)"` does not wait on the
  # broker holding the command substitution's pipe open. Appended, so that after a `start`
  # the log still shows the broker's earlier lives.
  # shellcheck disable=SC2086
  setsid "$JAVA" -Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    ${ACTUATE_KAFKA_JVM_OPTS:-} "${JVM[@]}" kafka.Kafka "$DIR/server.properties" \
    </dev/null >>"$DIR/stdout.log" 2>&1 &
  LAUNCH_PID=$!
  echo "$LAUNCH_PID" >"$DIR/kafka.pid"
}

# wait_ready PID: until the broker on $PORT is ready; dies with its logs if PID exits or the
# start timeout passes.
wait_ready() {
  local pid=$1 deadline
  deadline=$((SECONDS + ${ACTUATE_KAFKA_START_TIMEOUT:-180}))
  until broker_ready "$PORT"; do
    if ! pid_matches "$pid" "$PROC_WORD"; then
      tail_log "$DIR/stdout.log"
      tail_log "$DIR/server.log"
      die "Kafka exited during start-up"
    fi
    if ((SECONDS >= deadline)); then
      tail_log "$DIR/stdout.log"
      tail_log "$DIR/server.log"
      die "Kafka did not answer on 127.0.0.1:$PORT within ${ACTUATE_KAFKA_START_TIMEOUT:-180}s"
    fi
    sleep 0.25
  done
}

print_env() {
  echo "export ACTUATE_KAFKA_PORT=$1 ACTUATE_TEST_KAFKA_BROKERS=127.0.0.1:$1"
}

cmd_down() {
  local port="${ACTUATE_KAFKA_PORT:-9092}" dir
  dir="$TESTENV_RUN/kafka-$port"
  [ -d "$dir" ] || { log "no actuate test broker on $port"; return 0; }
  # Controlled shutdown of a lone combined node is quick, but its data is thrown away anyway, so
  # a short bound before SIGKILL keeps teardown fast.
  stop_pid "$(cat "$dir/kafka.pid" 2>/dev/null)" "$PROC_WORD" 10
  if [ "${ACTUATE_TESTENV_KEEP:-}" = 1 ]; then
    local keep
    keep="$dir.stopped.$(date +%s)"
    mv "$dir" "$keep"
    log "Kafka on $port stopped; logs kept in $keep"
  else
    rm -rf "$dir"
    log "Kafka on $port stopped"
  fi
}

# named_port CMD: the port stop and start act on. Unlike down's, it has no default: stopping
# somebody's broker on 9092 by mistake would break their run.
named_port() {
  [ -n "${ACTUATE_KAFKA_PORT:-}" ] || die "$1 needs ACTUATE_KAFKA_PORT (the port of a broker started by '$0 up')"
  PORT=$ACTUATE_KAFKA_PORT
  DIR="$TESTENV_RUN/kafka-$PORT"
  [ -f "$DIR/server.properties" ] || die "no actuate test broker on $PORT (no $DIR/server.properties)"
}

cmd_stop() {
  named_port stop
  # Marked before the broker goes, so that no `up` looking for a free port takes the dir over
  # (see choose_ports) while the port is free.
  touch "$DIR/stopped"
  local pid
  pid=$(cat "$DIR/kafka.pid" 2>/dev/null || true)
  if ! pid_matches "$pid" "$PROC_WORD"; then
    log "Kafka on $PORT is not running; data kept in $DIR"
    return 0
  fi
  # SIGTERM is a controlled shutdown, as in a rolling restart: the broker flushes its logs and
  # writes its clean-shutdown marker. Unlike down, the data is kept, so give it time to.
  stop_pid "$pid" "$PROC_WORD" "${ACTUATE_KAFKA_STOP_TIMEOUT:-60}"
  log "Kafka on $PORT stopped; data kept in $DIR ('ACTUATE_KAFKA_PORT=$PORT $0 start' brings it back)"
}

cmd_start() {
  command -v "$JAVA" >/dev/null || die "java (17+) not found"
  named_port start
  pid_matches "$(cat "$DIR/kafka.pid" 2>/dev/null)" "$PROC_WORD" && die "Kafka on $PORT is already running"
  [ -f "$DIR/data/meta.properties" ] || die "$DIR/data was never formatted: use '$0 up' for a fresh broker"
  CPORT=$(sed -n 's/^controller\.quorum\.voters=1@127\.0\.0\.1://p' "$DIR/server.properties")
  [ -n "$CPORT" ] || die "no controller port in $DIR/server.properties"
  # The port was free while the broker was stopped; a broker that cannot bind it dies with a
  # less obvious error in its log.
  if port_busy "$PORT" || port_busy "$CPORT"; then
    die "127.0.0.1:$PORT or :$CPORT was taken while the broker was stopped"
  fi
  fetch_jars
  # A failed start stops the JVM again but keeps the data: it is what `start` is about, and
  # the logs are needed to see why (down removes it all).
  START_OK=0 START_PID=""
  trap '[ "$START_OK" = 1 ] || { [ -n "$START_PID" ] && stop_pid "$START_PID" "$PROC_WORD" 5; }' EXIT
  launch_broker
  START_PID=$LAUNCH_PID
  wait_ready "$START_PID"
  rm -f "$DIR/stopped"
  START_OK=1
  log "Kafka ready again on 127.0.0.1:$PORT (pid $START_PID)"
  print_env "$PORT"
}

cmd_env() {
  local port="${ACTUATE_KAFKA_PORT:-9092}"
  pid_matches "$(cat "$TESTENV_RUN/kafka-$port/kafka.pid" 2>/dev/null)" "$PROC_WORD" ||
    die "no actuate test broker running on $port (run '$0 up')"
  print_env "$port"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  stop) cmd_stop ;;
  start) cmd_start ;;
  env) cmd_env ;;
  fetch) fetch_jars ;;
  *) echo "usage: $0 up|down|stop|start|env|fetch" >&2; exit 2 ;;
esac
