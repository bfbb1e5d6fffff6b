#!/usr/bin/env bash
# CPU one child's start costs, per MPM: starts bin/pluma (bench/pluma-candidate.sh's
# configuration, CHILDREN children started at once: StartServers and the spare bounds set so
# none is added or stopped), waits for the first answered request and one more second, then
# reads each child's time on a CPU from /proc/PID/task/*/schedstat (nanoseconds, every thread;
# exec, the runtime's start, the configuration reading and the request path included) and the
# parent's. Prints per MPM the median child and the range over REPS starts x CHILDREN children;
# one of the children answered the probe request, the median leaves it out. Each server is
# stopped by its pid. MPMS (default "prefork event worker"), REPS (3), CHILDREN (prefork 8,
# threaded 4: ThreadsPerChild 25), PLUMA_BIN and BOOST as in bench/start-common.sh.
set -u
default_mpms="prefork event worker" default_reps=3
. "$(dirname "$0")/start-common.sh"
cpu_ms() { # pid: its threads' time on a CPU, in ms
  cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{t+=$1} END{printf "%.2f", t/1e6}'
}
for mpm in $mpms; do
  if [ "$mpm" = prefork ]; then
    n=${CHILDREN:-8}; block=$'StartServers '$n$'\nMinSpareServers '$n$'\nMaxSpareServers '$n$'\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0'
  else
    n=${CHILDREN:-4}; t=$((n * 25)); block=$'StartServers '$n$'\nMinSpareThreads 25\nMaxSpareThreads '$t$'\nThreadLimit 64\nThreadsPerChild 25\nMaxRequestWorkers '$t$'\nMaxConnectionsPerChild 0'
  fi
  for r in $(seq "$reps"); do
    d="$root/$mpm-$r"; port=$(pluma_conf "$d" "$mpm" "$block")
    read -r _ pid < <(first_answer "$port" "${session[@]}" env APACHE_RUN_DIR="$d" "$pluma_bin" -d "$d" -f "$d/pluma.conf" -D FOREGROUND)
    sleep 1
    echo "parent $(cpu_ms "$pid")"
    for k in $(pgrep -P "$pid"); do echo "child $(cpu_ms "$k")"; done
    kill -TERM "$pid"; for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done | python3 -c 'import sys, statistics as st
lines = [l.split() for l in sys.stdin if l.strip()]
c = sorted(float(v) for k, v in lines if k == "child"); p = sorted(float(v) for k, v in lines if k == "parent")
print(f"{sys.argv[1]:8} child start CPU median {st.median(c):5.1f} ms (range {c[0]:.1f}-{c[-1]:.1f}, {len(c)} children); parent median {st.median(p):5.1f} ms")' "$mpm"
done
