#!/usr/bin/env bash
# Fuzzes one Jazzer target for MINUTES and prints libFuzzer's closing lines: runs, coverage
# (cov: edges, ft: features) and the corpus it grew. A finding fails the run; Jazzer saves the
# input that found it next to the target's saved inputs (src/test/resources/.../<Class>Inputs/
# <method>/crash-*), where every later `./mvnw verify` replays it. See docs/reliability.md.
#
#   bench/fuzz.sh Class#method [minutes]     (default 2 minutes), for example
#   bench/fuzz.sh SimulationModeFuzzTest#header 10
#
# The grown corpus stays in <module>/.cifuzz-corpus/ (ignored by git) and seeds the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: bench/fuzz.sh Class#method [minutes]}
minutes=${2:-2}
class=${target%%#*}
source=$(find . -path "*/src/test/java/*/$class.java" -not -path './.git/*' | head -1)
if [[ -z $source ]]; then
  echo "no fuzz test class $class under */src/test/java" >&2
  exit 2
fi
module=${source#./}
module=${module%%/*}
log=$(mktemp "${TMPDIR:-/tmp}/llmsim-fuzz.XXXXXX")
echo "fuzzing $target in $module for $minutes min (log: $log)"
status=0
# Hooks guide the fuzzer (compare tracing) and add Jazzer's sanitizers; coverage is collected
# from llmsim and from Jackson's parser, so the fuzzer learns the shape of JSON. The regex-injection
# sanitizer is off: compiling the `pattern` a client's JSON schema gives is what synthesis is for,
# and the request's generation budget charges every character a match reads.
JAZZER_FUZZ=1 ./mvnw -B -o test -pl "$module" -am -Dtest="$target" \
  -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.hooks=true -Djazzer.max_duration="${minutes}m" \
  -Djazzer.disabled_hooks=com.code_intelligence.jazzer.sanitizers.RegexInjection \
  -Djazzer.instrumentation_includes='io.llmsim.**:com.fasterxml.jackson.core.**' \
  >"$log" 2>&1 || status=$?
grep -E '^#[0-9]+ +DONE|^Done [0-9]+ runs|== Java Exception|FuzzTestFinding|Tests run:.*Fail' "$log" \
  | grep -v 'Tests run:.*Failures: 0, Errors: 0' || true
exit "$status"
