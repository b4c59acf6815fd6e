#!/usr/bin/env bash
# Interleaved A/B of two llmsim builds, non-streaming: each round starts each jar in turn, warms
# it for WARM seconds under wrk, measures it for SECONDS, and prints its requests/s, p99 and the
# server's CPU per request (from /proc/PID/stat). Interleaving matters on a shared host: the same
# build moves by a quarter from one minute to the next, so only pairs run back to back compare.
#
#   bench/ab.sh A.jar B.jar [rounds]      (default 3 rounds; ROUNDS, WARM, SECONDS, CONNECTIONS)
#
# Needs wrk (apt-get install wrk). The request is bench/chat.lua, the profile `instant`, two loops.
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1 b=$2 rounds=${3:-3}
warm=${WARM:-15} seconds=${SECONDS_MEASURED:-15} connections=${CONNECTIONS:-64}
port=18190
url=http://127.0.0.1:$port/v1/chat/completions
JAR=$a source bench/lib.sh

measure() { # label jar
  "$java" -Xms256m -Xmx1g -jar "$2" serve --port "$port" --io-threads 2 \
    --profiles bench/profiles.yaml --idle-timeout 0 --profile instant >/tmp/llmsim-ab.log 2>&1 &
  local server=$!
  pids=("$server")
  wait_port "$port"
  wrk -t2 -c"$connections" -d"${warm}s" -s bench/chat.lua "$url" >/dev/null
  local t0 t1
  t0=$(awk '{print $14 + $15}' "/proc/$server/stat")
  local out
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/chat.lua "$url")
  t1=$(awk '{print $14 + $15}' "/proc/$server/stat")
  stop_all
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  awk -v label="$1" -v rps="$rps" -v p99="$p99" -v ticks=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" \
    -v s="$seconds" 'BEGIN {
      printf "%-3s %9.0f req/s  p99 %-8s  %5.1f us CPU/request  (%.0f%% of a core)\n",
        label, rps, p99, ticks / hz * 1e6 / (rps * s), ticks / hz * 100 / s }'
}

for round in $(seq 1 "$rounds"); do
  echo "## round $round ($(date -u +%H:%M:%S) UTC)"
  measure A "$a"
  measure B "$b"
done
