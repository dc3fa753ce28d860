#!/usr/bin/env bash
# Load yardsticks of issue 4: atelier and the bare reference hub, measured
# with the same loader in the same run, on this machine (loopback only).
# Usage: scripts/bench-load.sh [quick]   (quick: 20 s instead of 60 s runs)
#        ONLY=tenant scripts/bench-load.sh  (just the tenant-scale case)
# ATELIER_ADDR and BARE_ADDR pin the listening addresses (default: any free
# port on 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=60s; [ "${1:-}" = quick ] && DUR=20s
# The tenant case holds 5,000 websockets: the server and the loader each
# need a descriptor per connection, more than the usual soft limit of 1024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 65536 2>/dev/null || true
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge 12000 ] || echo "warning: ulimit -n is $(ulimit -n); the tenant case needs about 11000" >&2
export ATELIER_LOAD_PASSWORD=atelier-demo
work=$(mktemp -d)
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$work"' EXIT

# start_atelier and start_bare print the pid and set $url.
start_atelier() {
  rm -rf "$work/data"
  ./bin/atelier serve -demo -data "$work/data" -addr "${ATELIER_ADDR:-127.0.0.1:0}" >"$work/atelier.out" 2>/dev/null &
  pid=$!
  for _ in $(seq 100); do
    url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/atelier.out" | head -1 || true)
    [ -n "$url" ] && curl -fs "$url/healthz" >/dev/null && return
    sleep 0.1
  done
  echo "atelier did not start" >&2; exit 1
}
start_bare() {
  ./bin/atelier-barehub -addr "${BARE_ADDR:-127.0.0.1:0}" $1 >"$work/bare.out" 2>/dev/null &
  pid=$!
  for _ in $(seq 100); do
    url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/bare.out" | head -1 || true)
    [ -n "$url" ] && return
    sleep 0.1
  done
  echo "bare hub did not start" >&2; exit 1
}
load() { # label, loader flags...
  local label=$1; shift
  local line
  line=$(./bin/atelier-load -url "$url" -email facilitator@atelier.test -pid "$pid" "$@" 2>"$work/load.err" | tail -2 | tr '\n' ' ' || true)
  # No result line: say why (the loader's last words) instead of nothing.
  [ -n "$line" ] || line="no result: $(tail -3 "$work/load.err" | tr '\n' ' ')"
  echo "$label: $line"
  stop_server
}
# stop_server asks the server to stop and waits for it, at most 60 s.
stop_server() {
  kill -INT "$pid" 2>/dev/null || true
  for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "warning: the server (pid $pid) did not stop within 60 s of SIGINT; killed" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# tenant: 250 sessions x 20 participants (5,000 connections), each sending a
# note a minute (83.3/s in total) and a vote every 30 s (166.7/s), for 60 s
# (issue 11, item 5). Joins answered 429 are re-sent after Retry-After.
tenant() {
  local flags=(-participants 5000 -sessions 250 -rate 83.3334 -vote-every 30s -duration 60s -grace 30s)
  start_bare "";       load "bare one-frame   250x20 tenant" "${flags[@]}"
  start_atelier;       load "atelier          250x20 tenant" "${flags[@]}"
}

echo "# $(date -u +%F) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), duration $DUR"
if [ "${ONLY:-}" = tenant ]; then tenant; exit 0; fi
start_bare "";         load "bare one-frame   1000x1 @100/s" -participants 1000 -sessions 1 -rate 100 -duration $DUR
start_atelier;         load "atelier          1000x1 @100/s" -participants 1000 -sessions 1 -rate 100 -duration $DUR
start_bare "";         load "bare one-frame   20x50 @1000/s" -participants 1000 -sessions 50 -rate 1000 -duration $DUR
start_atelier;         load "atelier          20x50 @1000/s" -participants 1000 -sessions 50 -rate 1000 -duration $DUR
for rate in ${RATES:-200 300 400}; do
  start_bare "";       load "bare one-frame   1000x1 @$rate/s" -participants 1000 -sessions 1 -rate "$rate" -duration 20s
  start_atelier;       load "atelier          1000x1 @$rate/s" -participants 1000 -sessions 1 -rate "$rate" -duration 20s
done
for rate in ${COALESCED_RATES:-700 1000}; do
  start_bare -coalesce; load "bare coalesce    1000x1 @$rate/s" -participants 1000 -sessions 1 -rate "$rate" -duration 20s
  start_atelier;        load "atelier          1000x1 @$rate/s" -participants 1000 -sessions 1 -rate "$rate" -duration 20s
done
start_atelier;         load "atelier join storm 300 into 2000 notes" -join-storm 300 -prefill 2000
start_atelier;         load "atelier memory, 2000 connections" -participants 2000 -sessions 4 -rate 20 -duration 20s
tenant
