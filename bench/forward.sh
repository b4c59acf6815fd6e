#!/usr/bin/env bash
# Added cost of passthrough and record: the same upstream (an llmsim) called directly, through an
# llmsim in passthrough mode, and through an llmsim recording into a store. Non-streaming with wrk
# (64 keep-alive connections): first an upstream answering at once (the CPU is the limit), then
# upstreams answering after ~50 ms (their pace is the limit, as a real provider's is). Then
# streaming with the load driver (64 streams of 100 tokens at 20 ms), which reports time to first
# token and token lateness.
#
#   bench/forward.sh            figures go to docs/performance.md
#
# Needs wrk (apt-get install wrk). Everything listens on 127.0.0.1; every run is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
store="$work/store"

# The x-simulation-mode header chooses the first hop's mode and is never forwarded, so the
# upstream's pace is set by its own --profile.
serve 18281 serve --profile instant
serve 18282 serve --mode passthrough --upstream http://127.0.0.1:18281
serve 18283 record --upstream http://127.0.0.1:18281 --store "$store"

# CPU seconds a process has used (user + system).
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }

# Each target is warmed for 15 s first: under this load C2 goes on compiling for about that long
# (-XX:+PrintCompilation), and its CPU would count against the first hop.
for target in "direct 18281 0" "passthrough 18282 1" "record 18283 2"; do
  set -- $target
  wrk -t1 -c64 -d15s -s bench/chat.lua \
    "http://127.0.0.1:$2/v1/chat/completions" >/dev/null
  echo "### non-streaming, $1"
  before=$(cpu_seconds "${pids[$3]}")
  wrk -t1 -c64 -d20s --latency -s bench/chat.lua "http://127.0.0.1:$2/v1/chat/completions" \
    | tee /tmp/llmsim-forward-wrk.txt | grep -E 'Requests/sec|Latency  |50%|99%|Non-2xx|errors'
  after=$(cpu_seconds "${pids[$3]}")
  requests=$(awk '/requests in/ {print $1}' /tmp/llmsim-forward-wrk.txt)
  awk -v b="$before" -v a="$after" -v n="$requests" \
    'BEGIN {printf "first-hop server CPU: %.1f s for %d requests = %.0f us per request\n", a - b, n, (a - b) * 1e6 / n}'
done

# An upstream that takes its time, as real providers do: throughput is bound by its pace, so
# what forwarding adds shows as latency. In step (every answer at 50 ms), then spread (lognormal).
for profile in bench-50ms-whole bench-paced; do
  stop_all
  serve 18281 serve --profile "$profile"
  serve 18282 serve --mode passthrough --upstream http://127.0.0.1:18281
  serve 18283 record --upstream http://127.0.0.1:18281 --store "$store-$profile"
  for target in "direct 18281" "passthrough 18282" "record 18283"; do
    set -- $target
    wrk -t1 -c64 -d5s -s bench/chat.lua "http://127.0.0.1:$2/v1/chat/completions" >/dev/null
    echo "### non-streaming, upstream $profile, $1"
    wrk -t1 -c64 -d20s --latency -s bench/chat.lua "http://127.0.0.1:$2/v1/chat/completions" \
      | grep -E 'Requests/sec|50%|90%|99%|Non-2xx|errors'
  done
done

# Fresh servers and store for streaming: the first phase's recordings are still being compacted.
stop_all
serve 18281 serve --profile bench-20ms
serve 18282 serve --mode passthrough --upstream http://127.0.0.1:18281
serve 18283 record --upstream http://127.0.0.1:18281 --store "$store-streaming"

chat='{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Say hello."}]}'
for target in "direct 18281" "passthrough 18282" "record 18283"; do
  set -- $target
  echo "### streaming (64 streams, TTFT 20 ms, 100 tokens at 20 ms), $1"
  "$driver_java" -cp "$jar" io.llmsim.load.LoadMain --url "http://127.0.0.1:$2/v1/chat/completions" \
    --body "$chat" \
    --concurrency 64 --duration 20s --warmup 5s --ttft 20 --itl 20 --timeout 60s \
    | grep -E 'requests|ttft|gap|errors|end-to-end'
done
echo "### stores after the runs: $(du -sh "$store" | cut -f1) (non-streaming), $(du -sh "$store-streaming" | cut -f1) (streaming)"
