#!/usr/bin/env bash
# Takes the README's two screenshots from the running system: one purchase's trace and the dependency graph, both in
# the Zipkin UI that ./run-local starts. Starts ./run-local (so it binds its default ports), waits for a purchase
# whose trace is complete, captures with headless Chromium, stops the stack. Needs chromium (Debian: apt-get install
# -y chromium), curl and jq. Not part of the build or CI: re-run it when the spans change.
set -euo pipefail
cd "$(dirname "$0")/../.."
images=docs/images
zipkin=http://localhost:9411
log=$(mktemp)

./run-local > "$log" 2>&1 &
stack=$!
trap 'kill -TERM $stack 2>/dev/null || true; wait $stack 2>/dev/null || true; rm -f "$log"' EXIT

spans() { curl -sf "$zipkin/api/v2/trace/$1" | jq 'length' 2>/dev/null || echo 0; }
services() { curl -sf "$zipkin/api/v2/trace/$1" | jq '[.[].localEndpoint.serviceName] | unique | length' 2>/dev/null || echo 0; }

# A purchase the executor printed as accepted on both paths, once all five apps' spans are in and their count holds.
trace=
deadline=$((SECONDS + 600))
while [ -z "$trace" ]; do
  if [ $SECONDS -ge $deadline ] || ! kill -0 $stack 2>/dev/null; then
    echo "no complete purchase trace; ./run-local said:" >&2; tail -40 "$log" >&2; exit 1
  fi
  sleep 2
  for id in $(grep -o 'trace_id=[0-9a-f]* sync=201 async=202' "$log" | sed 's/trace_id=\([0-9a-f]*\).*/\1/' | sed -n '2,4p'); do
    if [ "$(services "$id")" -ge 5 ]; then
      before=$(spans "$id"); sleep 3
      if [ "$(spans "$id")" -eq "$before" ]; then trace=$id; break; fi
    fi
  done
done
echo "trace $trace: $(spans "$trace") spans"

shoot() { # <png> <url>; the budget lets the graph's layout animation settle
  local profile; profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --window-size=1600,1200 \
    --run-all-compositor-stages-before-draw --virtual-time-budget=30000 --screenshot="$1" "$2" > /dev/null 2>&1
  rm -rf "$profile"
  echo "wrote $1"
}
now=$(($(date +%s) * 1000))
shoot "$images/zipkin-trace.png" "$zipkin/zipkin/traces/$trace"
shoot "$images/zipkin-dependencies.png" "$zipkin/zipkin/dependency?startTime=$((now - 3600000))&endTime=$now"
