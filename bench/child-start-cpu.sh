#!/usr/bin/env bash
# CPU one child's start costs, per MPM: starts bin/pluma (bench/pluma-candidate.sh's
# configuration, CHILDREN children started at once: StartServers and the spare bounds set so
# none is added or stopped), waits for the first answered request and one more second, then
# reads each child's time on a CPU from /proc/PID/task/*/schedstat (nanoseconds, every thread;
# exec, the runtime's start, the configuration reading and the request path included) and the
# parent's. Prints per MPM the median child and the range over REPS starts x CHILDREN children;
# one of the children answered the probe request, the median leaves it out. Each server is
# stopped by its pid. MPMS (default "prefork event worker"), REPS (3), CHILDREN (prefork 8,
# threaded 4: ThreadsPerChild 25), PLUMA_BIN (another build to compare).
set -u
here=$(cd "$(dirname "$0")" && pwd)
reps=${REPS:-3}
root=$(mktemp -d); mkdir -p "$root/www"; python3 -c "open('$root/www/small.html','w').write('x'*100)"; chmod -R 755 "$root"
trap 'rm -rf "$root"' EXIT
freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
cpu_ms() { # pid: its threads' time on a CPU, in ms
  cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{t+=$1} END{printf "%.2f", t/1e6}'
}
for mpm in ${MPMS:-prefork event worker}; do
  if [ "$mpm" = prefork ]; then
    n=${CHILDREN:-8}; block=$'StartServers '$n$'\nMinSpareServers '$n$'\nMaxSpareServers '$n$'\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0'
  else
    n=${CHILDREN:-4}; t=$((n * 25)); block=$'StartServers '$n$'\nMinSpareThreads 25\nMaxSpareThreads '$t$'\nThreadLimit 64\nThreadsPerChild 25\nMaxRequestWorkers '$t$'\nMaxConnectionsPerChild 0'
  fi
  for r in $(seq "$reps"); do
    d="$root/$mpm-$r"; mkdir -p "$d"; port=$(freeport)
    MPM_BLOCK=$block CONF_ONLY=1 MPM=$mpm bash "$here/pluma-candidate.sh" "$port" "$root/www" 5 "$d"
    setsid env APACHE_RUN_DIR="$d" "${PLUMA_BIN:-$here/../bin/pluma}" -d "$d" -f "$d/pluma.conf" -D FOREGROUND >/dev/null 2>&1 &
    pid=$!
    python3 - "$port" <<'PY'
import socket, sys, time
t0 = time.monotonic()
while time.monotonic() - t0 < 30:
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
        s.sendall(b"GET /small.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        ok = s.recv(64).startswith(b"HTTP/1.1 200"); s.close()
        if ok: break
    except OSError:
        time.sleep(0.001)
PY
    sleep 1
    kids=$(pgrep -P "$pid")
    echo "parent $(cpu_ms "$pid")"
    for k in $kids; do echo "child $(cpu_ms "$k")"; done
    kill -TERM "$pid"; for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done | python3 -c 'import sys, statistics as st
lines = [l.split() for l in sys.stdin if l.strip()]
c = sorted(float(v) for k, v in lines if k == "child"); p = sorted(float(v) for k, v in lines if k == "parent")
print(f"{sys.argv[1]:8} child start CPU median {st.median(c):5.1f} ms (range {c[0]:.1f}-{c[-1]:.1f}, {len(c)} children); parent median {st.median(p):5.1f} ms")' "$mpm"
done
