#!/usr/bin/env bash
# Benchmarks llmsim against the driver's own floor (a trivial Netty server) on this machine, with
# the load driver and the server side by side; non-streaming also against a bare java.nio server
# that parses nothing (the machine's ceiling). Prints one block per scenario; docs/performance.md
# records the figures. Traffic goes to 127.0.0.1 only; every run is bounded in time.
#
#   bench/run.sh [nonstream|stream|wide|all]      (default all)
#
# Needs: wrk (apt-get install wrk) for the non-streaming ceiling. DRIVER_JAVA picks the JVM of the
# load driver (default: java; a newer JDK is fine), SERVER_JAVA the server's.
# JAR picks the llmsim jar (default: cli/target/llmsim.jar), to compare two builds. IO_THREADS
# sets llmsim's event loops (default 2), FLOOR_THREADS the floor's (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
source bench/lib.sh
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
port=18180
# One server at a time here: pid is the running one.
pid=""
stop() { stop_all; pid=""; }

start_llmsim() { # extra serve flags...
  "$java" -Xms256m -Xmx1g -jar "$jar" serve --port "$port" --io-threads "${IO_THREADS:-2}" \
    --profiles bench/profiles.yaml --idle-timeout 0 "$@" >/tmp/llmsim-bench.log 2>&1 &
  pid=$!
  pids=("$pid")
  wait_port "$port"
}

start_floor() { # TTFT_MS ITL_MS TOKENS [--stream false]
  "$java" -Xms256m -Xmx1g -cp "$jar" io.llmsim.load.LoadMain \
    --trivial-server "$port,$1,$2,$3" "${@:4}" --threads "${FLOOR_THREADS:-1}" >/tmp/floor-bench.log 2>&1 &
  pid=$!
  pids=("$pid")
  wait_port "$port"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
peak_rss_mb() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }

# Runs the driver; prints its report and the server's CPU (% of one core) and peak RSS.
drive() { # seconds-measured args...
  local seconds=$1; shift
  local t0; t0=$(cpu_ticks)
  "$driver_java" -cp "$jar" io.llmsim.load.LoadMain "$@"
  local t1; t1=$(cpu_ticks)
  local hz; hz=$(getconf CLK_TCK)
  echo "server: cpu $(( (t1 - t0) * 100 / hz / seconds ))% of one core (over the whole run)," \
    "peak RSS $(peak_rss_mb) MB"
}

chat='{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Say hello."}]}'

nonstream() {
  echo "## non-streaming, 64 keep-alive connections, wrk -t2 (ceilings: bare NIO, trivial Netty server)"
  # The bare java.nio server: no Netty, no HTTP parsing, two selector threads as llmsim's two loops.
  "$java" -cp "$jar" io.llmsim.load.BareNioServer "$port" 2 >/tmp/bare-bench.log 2>&1 &
  pid=$!
  pids=("$pid")
  wait_port "$port"
  wrk -t2 -c64 -d15s http://127.0.0.1:$port/ >/dev/null
  echo "### bare NIO"; wrk -t2 -c64 -d20s --latency http://127.0.0.1:$port/ | grep -E 'Requests/sec|Latency|99%|50%'
  stop
  start_floor 0 0 1 --stream false
  wrk -t2 -c64 -d15s http://127.0.0.1:$port/ >/dev/null
  echo "### floor"; wrk -t2 -c64 -d20s --latency http://127.0.0.1:$port/ | grep -E 'Requests/sec|Latency|99%|50%'
  stop
  IO_THREADS=2 start_llmsim --profile instant
  wrk -t2 -c64 -d15s -s bench/chat.lua http://127.0.0.1:$port/v1/chat/completions >/dev/null
  echo "### llmsim (instant profile)"
  wrk -t2 -c64 -d20s --latency -s bench/chat.lua http://127.0.0.1:$port/v1/chat/completions \
    | grep -E 'Requests/sec|Latency|99%|50%|Non-2xx|Socket errors'
  echo "server peak RSS $(peak_rss_mb) MB"
  stop
}

stream_at() { # concurrency ttft itl tokens profile duration warmup
  local c=$1 ttft=$2 itl=$3 tokens=$4 profile=$5 dur=$6 warm=$7
  local common=(--concurrency "$c" --duration "${dur}s" --warmup "${warm}s" --ttft "$ttft" --itl "$itl"
    --connect-batch 200 --timeout 120s)
  echo "## streaming: $c concurrent streams, TTFT $ttft ms, gap $itl ms, $tokens tokens"
  echo "### floor (trivial server)"
  start_floor "$ttft" "$itl" "$tokens"
  drive $((dur + warm)) --url "http://127.0.0.1:$port/v1/chat/completions" "${common[@]}" | \
    grep -E 'requests|token|errors|ttft|gap|end-to-end|loop|server'
  stop
  echo "### llmsim"
  start_llmsim --profile "$profile"
  # llmsim's own share of the lateness: its frame-lateness histogram over the measured window.
  (sleep "$warm"; curl -s "http://127.0.0.1:$port/metrics" >"$work/metrics-before") &
  drive $((dur + warm)) --url "http://127.0.0.1:$port/v1/chat/completions" --body "$chat" \
    "${common[@]}" | grep -E 'requests|token|errors|ttft|gap|end-to-end|loop|server'
  curl -s "http://127.0.0.1:$port/metrics" >"$work/metrics-after"
  server_lateness "$work/metrics-before" "$work/metrics-after"
  stop
}

# From two /metrics answers: the share of frames llmsim wrote later than each bound in between.
server_lateness() { # before after
  awk -F'[" ]' '/^llmsim_frame_lateness_seconds_bucket/ {
      if (FILENAME == ARGV[1]) { before[$2] = $4 } else { le[++n] = $2; after[$2] = $4 } }
    END {
      total = after["+Inf"] - before["+Inf"]
      printf "server-side frame lateness (%d frames), share later than:", total
      for (i = 1; i <= n; i++) if (le[i] != "+Inf" && le[i] + 0 <= 0.025)
        printf " %g ms %.2f%%", le[i] * 1000, 100 * (1 - (after[le[i]] - before[le[i]]) / total)
      print ""
    }' "$1" "$2"
}

case "$what" in
  nonstream) nonstream ;;
  stream) for c in ${CONCURRENCY:-100 1000 2000}; do stream_at "$c" 20 20 100 bench-20ms 20 40; done ;;
  wide) stream_at 10000 200 200 50 bench-200ms 30 20 ;;
  all)
    nonstream
    for c in 100 1000 2000; do stream_at "$c" 20 20 100 bench-20ms 20 40; done
    stream_at 10000 200 200 50 bench-200ms 30 20
    ;;
  *) echo "usage: bench/run.sh [nonstream|stream|wide|all]" >&2; exit 2 ;;
esac
