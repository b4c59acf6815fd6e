# Shared by the benchmark scripts that run several llmsim processes side by side: source it after
# `cd` to the repository root. IO_THREADS sets each server's event loops (default 1); JAR the
# llmsim jar (default cli/target/llmsim.jar).
jar="${JAR:-cli/target/llmsim.jar}"
[ -f "$jar" ] || ./mvnw -B -q -Dmaven.test.skip=true -pl cli -am package
java="${SERVER_JAVA:-java}"
driver_java="${DRIVER_JAVA:-java}"
work=$(mktemp -d)
pids=()

stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() { stop_all; rm -rf "$work"; }
trap cleanup EXIT

wait_port() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on $1" >&2; exit 1
}

# Starts `llmsim COMMAND FLAGS...` on PORT in the background; its log is /tmp/llmsim-bench-PORT.log.
serve() { # port command flags...
  local port=$1; shift
  "$java" -Xms256m -Xmx1g -jar "$jar" "$@" --port "$port" --io-threads "${IO_THREADS:-1}" \
    --idle-timeout 0 --profiles bench/profiles.yaml >"/tmp/llmsim-bench-$port.log" 2>&1 &
  pids+=($!)
  wait_port "$port"
}
