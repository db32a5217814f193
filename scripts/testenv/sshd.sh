#!/usr/bin/env bash
# A throw-away OpenSSH SFTP server on 127.0.0.1 for the file-delivery tests (destinations/filekit
# and the destinations that upload files over SFTP). Debian's sshd, run as root with its own config,
# host key, pid and log; one test user per instance, who may only speak SFTP, chrooted to a folder
# holding an uploads/ folder of its own.
#
#   sshd.sh up     install openssh-server if missing (as root, via apt), start sshd; prints `export ...`
#   sshd.sh down   stop the sshd on $ACTUATE_SSHD_PORT and remove its user and folders
#
# What `up` exports:
#   ACTUATE_TEST_SFTP_ADDR       127.0.0.1:PORT
#   ACTUATE_TEST_SFTP_USER       the test user (actuate-sftp-PORT), password and key both accepted
#   ACTUATE_TEST_SFTP_PASSWORD   its password, random per instance
#   ACTUATE_TEST_SFTP_KEY        path of its private key (ed25519, no passphrase)
#   ACTUATE_TEST_SFTP_HOST_KEY   path of the server's public host key, to pin
#   ACTUATE_TEST_SFTP_ROOT       the chroot on this machine: the user's /uploads is ROOT/uploads
#
# Environment:
#   ACTUATE_SSHD_PORT   port; unset = first free of 2222, 2223, ...; set = must be free
#
# sshd needs root (it switches to the user after authenticating), and a chroot whose every parent
# is root-owned and not writable by others, which TMPDIR is not: the chroot lives under /run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

SSHD=/usr/sbin/sshd
# sshd shows its arguments in its process title: the config path names the instance.
PROC_WORD="sshd_config"
CHROOT_BASE="/run/actuate-testenv-sftp"

ensure_sshd() {
  [ "$(id -u)" = 0 ] || die "the test SFTP server runs sshd, which needs root"
  [ -x "$SSHD" ] && return 0
  log "installing openssh-server with apt-get (once)"
  mkdir -p "$TESTENV_RUN"
  exec 8>"$TESTENV_RUN/.apt.lock"
  flock 8
  if [ ! -x "$SSHD" ]; then
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssh-server; } \
      >"$TESTENV_RUN/apt.log" 2>&1 || { tail_log "$TESTENV_RUN/apt.log"; die "apt-get install openssh-server failed"; }
  fi
  exec 8>&-
  [ -x "$SSHD" ] || die "$SSHD still missing after apt-get install openssh-server"
}

# Sets PORT and DIR (claimed).
choose_port() {
  local candidates p
  if [ -n "${ACTUATE_SSHD_PORT:-}" ]; then
    candidates=("$ACTUATE_SSHD_PORT")
  else
    candidates=()
    for ((p = 2222; p < 2262; p++)); do candidates+=("$p"); done
  fi
  for p in "${candidates[@]}"; do
    if port_busy "$p"; then
      [ -n "${ACTUATE_SSHD_PORT:-}" ] && die "127.0.0.1:$p is already in use; set ACTUATE_SSHD_PORT to a free port"
      continue
    fi
    if DIR=$(claim_dir sshd "$p" "$PROC_WORD"); then
      PORT=$p
      return 0
    fi
    [ -n "${ACTUATE_SSHD_PORT:-}" ] && die "$TESTENV_RUN/sshd-$p exists: another start-up in progress, or a crashed run (then remove it)"
  done
  die "no free port for sshd among ${candidates[*]}"
}

# remove_instance PORT DIR: the user, the chroot and the run dir of one instance.
remove_instance() {
  local port=$1 dir=$2 user="actuate-sftp-$1"
  if id "$user" >/dev/null 2>&1; then userdel "$user" >/dev/null 2>&1 || log "could not remove user $user"; fi
  rm -rf "$CHROOT_BASE-$port" "$dir"
}

cmd_up() {
  ensure_sshd
  choose_port
  local user="actuate-sftp-$PORT" root="$CHROOT_BASE-$PORT" password
  UP_OK=0
  trap '[ "$UP_OK" = 1 ] || { stop_pid "$(cat "$DIR/sshd.pid" 2>/dev/null)" "$PROC_WORD" 5; remove_instance "$PORT" "$DIR"; }' EXIT

  ssh-keygen -q -t ed25519 -N '' -C "actuate test host key" -f "$DIR/host_key" >/dev/null
  ssh-keygen -q -t ed25519 -N '' -C "actuate test user key" -f "$DIR/user_key" >/dev/null
  cp "$DIR/user_key.pub" "$DIR/authorized_keys"
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')

  if ! id "$user" >/dev/null 2>&1; then
    useradd --no-create-home --home-dir / --shell /usr/sbin/nologin "$user" ||
      die "useradd $user failed"
  fi
  echo "$user:$password" | chpasswd || die "chpasswd for $user failed"

  # The chroot must be root's and not writable by others; the user writes in uploads/.
  rm -rf "$root"
  mkdir -p "$root/uploads"
  chown root:root "$root" && chmod 755 "$root"
  chown "$user" "$root/uploads"
  mkdir -p /run/sshd && chmod 755 /run/sshd # sshd's privilege-separation folder

  cat >"$DIR/sshd_config" <<EOF
# A test SFTP server of Actuate's (scripts/testenv/sshd.sh)
Port $PORT
ListenAddress 127.0.0.1
HostKey $DIR/host_key
PidFile $DIR/sshd.pid
UsePAM no
PasswordAuthentication yes
PermitEmptyPasswords no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile $DIR/authorized_keys
StrictModes no
PermitRootLogin no
AllowUsers $user
AllowTcpForwarding no
X11Forwarding no
PermitTTY no
Subsystem sftp internal-sftp
ForceCommand internal-sftp
ChrootDirectory $root
MaxStartups 100
LogLevel VERBOSE
EOF
  "$SSHD" -t -f "$DIR/sshd_config" 2>"$DIR/sshd.log" || { tail_log "$DIR/sshd.log"; die "sshd refused its config"; }
  # An absolute path: sshd re-executes itself.
  if ! "$SSHD" -f "$DIR/sshd_config" -E "$DIR/sshd.log" </dev/null >"$DIR/stdout.log" 2>&1; then
    tail_log "$DIR/stdout.log"
    tail_log "$DIR/sshd.log"
    die "sshd failed to start"
  fi
  local deadline=$((SECONDS + 20))
  until [ -s "$DIR/sshd.pid" ] && port_busy "$PORT"; do
    if ((SECONDS >= deadline)); then
      tail_log "$DIR/sshd.log"
      die "sshd did not listen on 127.0.0.1:$PORT within 20s"
    fi
    sleep 0.1
  done
  UP_OK=1
  log "sshd (SFTP) ready on 127.0.0.1:$PORT (pid $(cat "$DIR/sshd.pid")), user $user, chroot $root"
  echo "export ACTUATE_SSHD_PORT=$PORT ACTUATE_TEST_SFTP_ADDR=127.0.0.1:$PORT ACTUATE_TEST_SFTP_USER=$user" \
    "ACTUATE_TEST_SFTP_PASSWORD=$password ACTUATE_TEST_SFTP_KEY=$DIR/user_key" \
    "ACTUATE_TEST_SFTP_HOST_KEY=$DIR/host_key.pub ACTUATE_TEST_SFTP_ROOT=$root"
}

cmd_down() {
  local port="${ACTUATE_SSHD_PORT:-}" dir
  [ -n "$port" ] || die "set ACTUATE_SSHD_PORT to the port of the sshd to stop"
  dir="$TESTENV_RUN/sshd-$port"
  [ -d "$dir" ] || { log "no actuate test sshd on $port"; return 0; }
  stop_pid "$(cat "$dir/sshd.pid" 2>/dev/null)" "$PROC_WORD" 10
  remove_instance "$port" "$dir"
  log "sshd on $port stopped"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
