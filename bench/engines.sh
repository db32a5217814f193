#!/usr/bin/env bash
# Measures Actuate's engines against Segment's published engine on the same events, on one
# core each, checks that both printed the same lines, and prints the figures as a table.
#   bench/engines.sh [EVENTS]        (default 50000)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-50000}
out=bench/out
mkdir -p "$out"

[ -d bench/segment/node_modules ] || (cd bench/segment && npm ci --no-audit --no-fund >/dev/null)
go build -o "$out/actuate" ./cmd/actuate
go run ./bench/genevents -n "$count" -seed 42 > "$out/events.ndjson"

# One core for each engine: pinned when taskset exists, and Go limited to one P.
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi

now() { date +%s%N; }

t0=$(now)
"${pin[@]}" node bench/segment/engine.js bench/workload/mapping.json bench/workload/triggers.json \
  "$out/events.ndjson" > "$out/segment.ndjson" 2> "$out/segment.stderr"
t1=$(now)
GOMAXPROCS=1 "${pin[@]}" "$out/actuate" mapping render --mapping bench/workload/mapping.json \
  --triggers bench/workload/triggers.json --events "$out/events.ndjson" > "$out/actuate.ndjson"
t2=$(now)

if ! cmp -s "$out/segment.ndjson" "$out/actuate.ndjson"; then
  echo "outputs differ: compare $out/segment.ndjson and $out/actuate.ndjson" >&2
  diff <(head -c 2000000 "$out/segment.ndjson") <(head -c 2000000 "$out/actuate.ndjson") | head -5 >&2
  exit 1
fi

benches=$(GOMAXPROCS=1 go test -run '^$' -bench '^Benchmark(Workload|ParseEncodingJSON|ParseFastjson)$' -benchtime 2s ./bench/)
bench=$(echo "$benches" | grep '^BenchmarkWorkload')
parse_std=$(echo "$benches" | awk '/^BenchmarkParseEncodingJSON/ {print $3}')
parse_fast=$(echo "$benches" | awk '/^BenchmarkParseFastjson/ {print $3}')
ns_event=$(echo "$bench" | awk '{for (i = 1; i < NF; i++) if ($(i+1) == "ns/event") print $i}')
allocs=$(echo "$bench" | awk '{for (i = 1; i < NF; i++) if ($(i+1) == "allocs/op") print $i}')

NODE_VERSION=$(node --version) awk -v n="$count" -v seg=$((t1 - t0)) -v act=$((t2 - t1)) -v ns="$ns_event" -v allocs="$allocs" -v pstd="$parse_std" -v pfast="$parse_fast" 'BEGIN {
  segrate = n / (seg / 1e9); actrate = n / (act / 1e9)
  printf "%d events of ~920 bytes, 9 triggers, a 21-field mapping; one core each; outputs identical\n\n", n
  printf "| engine | whole run (s) | events/s |\n| --- | ---: | ---: |\n"
  printf "| Segment (Node %s) | %.2f | %.0f |\n", ENVIRON["NODE_VERSION"], seg / 1e9, segrate
  printf "| Actuate CLI (GOMAXPROCS=1) | %.2f | %.0f |\n\n", act / 1e9, actrate
  printf "ratio Actuate / Segment: %.1fx\n", actrate / segrate
  printf "Go benchmark (GOMAXPROCS=1, in memory): %s ns/event, %s allocs/event, %.0f events/s\n", ns, allocs, 1e9 / ns
  printf "JSON parsing of the same events: encoding/json %s ns, fastjson %s ns (%.1fx)\n", pstd, pfast, pstd / pfast
}'
