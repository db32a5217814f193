#!/usr/bin/env bash
# Runs the whole test suite: formatting, vet, every Go test (with Segment's engine as the
# differential reference, and a real Kafka broker and Redis that scripts/testenv installs,
# starts and stops), and a short fuzzing pass over every fuzz target.
#   scripts/test.sh                 everything
#   FUZZTIME=0 scripts/test.sh      skip the fuzzing pass
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== Segment's reference engine (npm, cached in bench/segment/node_modules)"
if [ ! -d bench/segment/node_modules ] || [ bench/segment/package-lock.json -nt bench/segment/node_modules ]; then
  (cd bench/segment && npm ci --no-audit --no-fund)
fi
echo "== Segment's destinations (npm, cached in destinations/parity/node_modules)"
if [ ! -d destinations/parity/node_modules ] || [ destinations/parity/package-lock.json -nt destinations/parity/node_modules ]; then
  (cd destinations/parity && npm ci --no-audit --no-fund)
fi
export ACTUATE_SEGMENT_REF=1

echo "== Chromium for the console's browser test (Debian's chromium, installed when missing)"
# cmd/actuate's TestConsoleInABrowser skips without a browser; CI installs one so it never does.
if ! command -v chromium >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "chromium is missing; install it (sudo apt-get install -y chromium)"; exit 1; }
  apt_log=$(mktemp)
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; } >"$apt_log" 2>&1 \
    || { tail -20 "$apt_log"; echo "apt-get install chromium failed"; exit 1; }
  rm -f "$apt_log"
fi

echo "== OpenSSH server for the SFTP file-delivery tests (Debian's openssh-server, installed when missing)"
# destinations/filekit's tests start a throw-away sshd with scripts/testenv/sshd.sh; under CI
# they fail rather than skip without it.
if [ ! -x /usr/sbin/sshd ]; then
  [ "$(id -u)" = 0 ] || { echo "sshd is missing; install it (sudo apt-get install -y openssh-server)"; exit 1; }
  apt_log=$(mktemp)
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssh-server; } >"$apt_log" 2>&1 \
    || { tail -20 "$apt_log"; echo "apt-get install openssh-server failed"; exit 1; }
  rm -f "$apt_log"
fi

echo "== go test (a real Kafka broker and Redis from scripts/testenv, on 127.0.0.1)"
bash scripts/testenv/with-services.sh go test -count=1 ./...

if [ "$fuzztime" != "0" ]; then
  echo "== fuzz ($fuzztime per target)"
  # Every Fuzz function in the tree, run briefly; a crasher fails the run and is written
  # to the package's testdata/fuzz, where it stays as a regression case.
  git grep -l '^func Fuzz' -- '*_test.go' | while read -r file; do
    pkg=./$(dirname "$file")
    for target in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | cut -d' ' -f2); do
      log=$(mktemp)
      if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1; then
        echo "-- $pkg $target: $(tail -1 "$log")"
      elif grep -q 'context deadline exceeded' "$log" && ! grep -q -e 'panic:' -e 'Failing input written' "$log"; then
        # Go's fuzzer sometimes misses its own shutdown deadline on a loaded machine and
        # reports that as a failure, with no failing input: run the target once more.
        echo "-- $pkg $target: the fuzzer missed its shutdown deadline; running it again"
        if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1; then
          echo "-- $pkg $target: $(tail -1 "$log")"
        else
          echo "-- $pkg $target FAILED:"; cat "$log"; rm -f "$log"; exit 1
        fi
      else
        echo "-- $pkg $target FAILED:"; cat "$log"; rm -f "$log"; exit 1
      fi
      rm -f "$log"
    done
  done
fi
