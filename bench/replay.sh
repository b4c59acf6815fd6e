#!/usr/bin/env bash
# Replay at --speed max against synthesis with the instant profile, same request, same load:
# wrk with 64 keep-alive connections (the non-streaming ceiling), then the store itself with
# StoreBench (write rate, lookups cold and hot) on COUNT exchanges (default 1,000,000).
#
#   bench/replay.sh [COUNT]      figures go to docs/performance.md
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000000}"
source bench/lib.sh
export IO_THREADS="${IO_THREADS:-2}"
body=$(sed -n "s/^wrk.body = '\(.*\)' ..$/\1/p; s/^  '\(.*\)'$/\1/p" bench/chat.lua | tr -d '\n')

# Record the benchmark's request once, from a synthesizing llmsim.
serve 18381 serve --profile instant
serve 18382 record --upstream http://127.0.0.1:18381 --store "$work/store"
curl -sf http://127.0.0.1:18382/v1/chat/completions -H 'content-type: application/json' \
  -d "$body" >/dev/null
sleep 1
stop_all

serve 18383 serve --profile instant
wrk -t2 -c64 -d15s -s bench/chat.lua http://127.0.0.1:18383/v1/chat/completions >/dev/null
echo "### synthesize, instant profile"
wrk -t2 -c64 -d20s --latency -s bench/chat.lua http://127.0.0.1:18383/v1/chat/completions \
  | grep -E 'Requests/sec|Latency  |50%|99%|Non-2xx|errors'
stop_all

serve 18384 replay --store "$work/store" --speed max
wrk -t2 -c64 -d15s -s bench/chat.lua http://127.0.0.1:18384/v1/chat/completions >/dev/null
echo "### replay, --speed max"
wrk -t2 -c64 -d20s --latency -s bench/chat.lua http://127.0.0.1:18384/v1/chat/completions \
  | grep -E 'Requests/sec|Latency  |50%|99%|Non-2xx|errors'
stop_all

echo "### store: $count exchanges"
"$java" -Xmx2g -cp "$jar" io.llmsim.load.StoreBench "$count" "$work/bench-store" 2>/dev/null
