#!/usr/bin/env bash
# Server CPU time per request, per MPM: `perf stat -e task-clock` of every child of bin/pluma
# (through bench/pluma-candidate.sh; PLUMA_BIN for another build) while `ab -n N -c 10` fetches a
# 100-byte file, keep-alive (-k) and with Connection: close, ROUNDS times each; prints the
# microseconds of CPU per request of each round and their median. The load tool runs on CPU 0,
# the server on CPU 1: the figure is the server's own work, not the machine's throughput (it
# still moves with cache and hypervisor noise on a busy machine; compare medians of runs made
# back to back). MPMS, N and ROUNDS are environment variables. Needs perf and root.
set -u
here=$(cd "$(dirname "$0")" && pwd)
n=${N:-20000}
rounds=${ROUNDS:-3}
root=$(mktemp -d); mkdir -p "$root/www"; python3 -c "open('$root/www/small.html','w').write('x'*100)"; chmod -R 755 "$root"
trap 'rm -rf "$root"' EXIT
freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
stop() { kill -TERM "$1" 2>/dev/null; for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; }
for mpm in ${MPMS:-event worker}; do
  d="$root/pluma-$mpm"; mkdir -p "$d"; port=$(freeport)
  MPM=$mpm taskset -c 1 bash "$here/pluma-candidate.sh" "$port" "$root/www" 5 "$d" >/dev/null 2>&1 &
  for _ in $(seq 100); do [ -s "$d/pluma.pid" ] && break; sleep 0.1; done; sleep 2; pid=$(cat "$d/pluma.pid")
  taskset -c 0 ab -q -n 2000 -c 10 -k "http://127.0.0.1:$port/small.html" >/dev/null 2>&1 # warm-up
  for mode in keepalive close; do
    if [ $mode = keepalive ]; then k=-k; else k=; fi
    figures=""
    for r in $(seq "$rounds"); do
      perf stat -x, -e task-clock -p "$(pgrep -P "$pid" | paste -sd,)" -o "$root/$mode.perf" -- \
        taskset -c 0 ab -q -n "$n" -c 10 $k "http://127.0.0.1:$port/small.html" > "$root/$mode.ab" 2>&1
      done_n=$(awk '/^Complete requests/{print $3}' "$root/$mode.ab")
      figures="$figures $(awk -F, -v n="$done_n" '$3 ~ /task-clock/ { printf "%.1f", $1 * 1000 / n }' "$root/$mode.perf")"
    done
    median=$(echo "$figures" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf "%-24s %6s us CPU per request (median of%s; %d requests each)\n" "pluma-$mpm $mode" "$median" "$figures" "$n"
  done
  stop "$pid"
done
