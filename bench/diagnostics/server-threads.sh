#!/usr/bin/env bash
# CPU time of a running `anytime serve`, by thread name (diagnostics, not a benchmark of record): every
# INTERVAL seconds, the clock ticks (1/100 s) each group of threads has used since it started, from
# /proc/PID/task/*/stat. The difference between two lines is where the CPU went meanwhile (anytime-worker:
# inference and handing answers over; anytime-http: Jetty reading requests, admission, refusals).
# Usage: bench/diagnostics/server-threads.sh [INTERVAL] > ticks.log &  then run the load, then kill it.
interval=${1:-5}
while true; do
  pid=$(pgrep -f "anytime-nn.jar serve" | head -1)
  if [ -n "$pid" ]; then
    echo "== $(date +%T) pid $pid"
    for t in /proc/"$pid"/task/*; do
      name=$(cat "$t/comm" 2>/dev/null)
      read -r -a f < <(sed 's/.*) //' "$t/stat" 2>/dev/null)
      echo "${name// /_} $(( ${f[11]:-0} + ${f[12]:-0} ))"
    done | awk '{sub(/-[0-9]+$/, "", $1); a[$1] += $2} END {for (k in a) if (a[k] > 0) printf "%s=%d ", k, a[k]; print ""}'
  fi
  sleep "$interval"
done
