#!/usr/bin/env bash
# A short, scripted local run whose EMF log lines feed render.py's metrics.png and dashboard-local.png.
#
# Starts the local runtime from the build in this worktree (no `mvn install`), sends a fixed mix of requests
# (offers by SMS and email, a customer without consent, a duplicate eventId, a malformed body, a batch with one
# bad item, a repeat that changes nothing), waits for the outbox, stops the runtime and prints the log's path.
#
#   mvn -B -q -DskipTests -pl local/runtime -am package    # or ./pipeline test, once
#   bash docs/figures/local-run.sh                          # then: bash docs/figures/render.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

classpath_file=local/runtime/target/runtime.classpath
if [ ! -f "$classpath_file" ]; then
  echo "local-run: $classpath_file is missing; build first: mvn -B -q -DskipTests -pl local/runtime -am package" >&2
  exit 1
fi
bash local/moto/ensure-venv.sh >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
out=$(mktemp)
java -cp "local/runtime/target/classes:$(cat "$classpath_file")" za.co.personalisation.local.LocalRuntime \
  --port "$port" >"$out" 2>&1 </dev/null &
runtime=$!
stop() { kill "$runtime" 2>/dev/null || true; wait "$runtime" 2>/dev/null || true; rm -f "$out"; }
trap stop EXIT

for _ in $(seq 1 120); do
  grep -q "Press Ctrl-C" "$out" && break
  kill -0 "$runtime" 2>/dev/null || { cat "$out" >&2; exit 1; }
  sleep 1
done
grep -q "Press Ctrl-C" "$out" || { echo "local-run: the runtime did not start in 120 s" >&2; cat "$out" >&2; exit 1; }

api="http://127.0.0.1:$port/events"
post() { curl -s -o /dev/null -w "%{http_code} " -XPOST "$api" -H 'content-type: application/json' -d "$1"; }
post '{"customerId":"12345","interest":"electronics","location":"Cape Town"}'
post '{"customerId":"23456","interest":"electronics","location":"Stellenbosch"}'
post '{"customerId":"34567","interest":"electronics","location":"Cape Town"}'
post '{"customerId":"45678","interest":"fashion","location":"Johannesburg"}'
post '{"customerId":"45678","interest":"fashion","location":"Johannesburg","eventId":"figure-dup-1"}'
post '{"customerId":"45678","interest":"fashion","location":"Johannesburg","eventId":"figure-dup-1"}'
post '{"customerId":"12345","interest":'
post '{"events":[{"customerId":"23456","interest":"books","location":"Durban"},{"customerId":"","interest":"x"},{"customerId":"34567","interest":"garden","location":"Bloemfontein"}]}'
sleep 3
post '{"customerId":"12345","interest":"electronics","location":"Cape Town"}'
echo

sent=0
for _ in $(seq 1 60); do
  sent=$( (curl -s "http://127.0.0.1:$port/local/outbox" || true) | { grep -o '"channel"' || true; } | wc -l)
  [ "$sent" -ge 3 ] && break
  sleep 1
done
sleep 5
echo "local-run: $sent messages in the outbox; EMF lines in .local-aws/logs/functions.log:" \
  "$(grep -c '"_aws"' .local-aws/logs/functions.log)"
