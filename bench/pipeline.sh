#!/usr/bin/env bash
# Measures the processes on a real Kafka broker and Redis (started and torn down here by
# scripts/testenv/with-services.sh) and prints the figures as a Markdown table; every ratio
# comes from this one run.
#   bench/pipeline.sh [-events N] [-backlog N] [-requests N] [-rate R]
# Defaults: 300000 events per processor run, a backlog of 1000000 events for peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
go build -o "$out/actuate" ./cmd/actuate
go build -o "$out/pipeline" ./bench/pipeline
scripts/testenv/with-services.sh "$out/pipeline" -bin "$out/actuate" -work "$out" "$@" | tee "$out/pipeline.md"
