#!/usr/bin/env bash
# System calls per request, per MPM: Pluma (bin/pluma through bench/pluma-candidate.sh) and
# Debian's apache2 with the same configuration file (the candidate's, with Debian's module
# paths). `perf stat` counts the syscall tracepoints of every child (all threads) while
# `ab -n N -c 10` fetches a 100-byte file, keep-alive (-k) and with Connection: close; counts
# are divided by the requests. Tracepoint counting barely slows the server (strace -f does, and
# its slowness breeds lock contention, so it inflates futex counts several times over).
# MPMS, N and APACHE (0: Pluma only) are environment variables. Needs perf and root.
# IDLE=4000: the counts are taken while that many keep-alive connections, each served once, sit
# idle on the server (KeepAliveTimeout 120 then), as in issue 16's 4,000-idle row.
set -u
here=$(cd "$(dirname "$0")" && pwd)
n=${N:-5000}
idle=${IDLE:-0}
ka=5
if [ "$idle" -gt 0 ]; then ka=120; ulimit -n $((idle * 2 + 4096)); fi
root=$(mktemp -d); mkdir -p "$root/www"; python3 -c "open('$root/www/small.html','w').write('x'*100)"; chmod -R 755 "$root"
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$root"' EXIT
calls="futex sched_yield epoll_wait epoll_pwait epoll_ctl poll ppoll accept4 recvfrom read sendto write writev sendfile64 newfstatat openat pread64 mmap munmap close shutdown setsockopt fcntl getsockname"
events="-e task-clock -e raw_syscalls:sys_enter"; for c in $calls; do events="$events -e syscalls:sys_enter_$c"; done
freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
stop() { kill -TERM "$1" 2>/dev/null; for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; }
hold() { # port: opens $idle keep-alive connections, one request each, and holds them until killed
  python3 - "$1" "$idle" > "$root/held" <<'PY' &
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
held = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /small.html HTTP/1.1\r\nHost: localhost\r\n\r\n")
    got = b""
    while b"\r\n\r\n" not in got or len(got) < got.index(b"\r\n\r\n") + 104:
        got += s.recv(4096)
    held.append(s)
print("held", len(held), flush=True)
time.sleep(3600)
PY
  holder=$!
  for _ in $(seq 1200); do grep -q held "$root/held" 2>/dev/null && break; sleep 0.1; done
}
count() { # name parentpid port
  local name=$1 parent=$2 port=$3 k
  taskset -c 0 ab -q -n 2000 -c 10 -k "http://127.0.0.1:$port/small.html" >/dev/null 2>&1 # warm-up
  for mode in keepalive close; do
    if [ $mode = keepalive ]; then k=-k; else k=; fi
    perf stat -x, $events -p "$(pgrep -P "$parent" | paste -sd,)" -o "$root/$name-$mode.perf" -- \
      taskset -c 0 ab -q -n "$n" -c 10 $k "http://127.0.0.1:$port/small.html" > "$root/$name-$mode.ab" 2>&1
    done_n=$(awk '/^Complete requests/{print $3}' "$root/$name-$mode.ab")
    awk -F, -v n="$done_n" -v name="$name $mode" '
      $3 == "task-clock" { cpu=$1*1000/n; next }
      $3 ~ /raw_syscalls/ { tot=$1/n; next }
      $3 ~ /sys_enter_/ { sc=$3; sub(/.*sys_enter_/, "", sc); per=$1/n; if (per >= 0.05) line=line sprintf(" %s %.2f", sc, per) }
      END { printf "%-24s %5.2f per request (%d requests, CPU %.1f us each):%s\n", name, tot, n, cpu, line }' "$root/$name-$mode.perf"
  done
}
# prefork: a fixed pool that ab -c 10 never makes grow or shrink (perf follows the children it
# was given; a child started or stopped during a run would be missed or break the count).
fixed=$'StartServers 20\nMinSpareServers 5\nMaxSpareServers 20\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0'
for mpm in ${MPMS:-event worker prefork}; do
  d="$root/pluma-$mpm"; mkdir -p "$d"; port=$(freeport)
  MPM_BLOCK=$([ "$mpm" = prefork ] && echo "$fixed") MPM=$mpm taskset -c 1 bash "$here/pluma-candidate.sh" "$port" "$root/www" "$ka" "$d" >/dev/null 2>&1 &
  for _ in $(seq 100); do [ -s "$d/pluma.pid" ] && break; sleep 0.1; done; sleep 2; pid=$(cat "$d/pluma.pid")
  holder=; [ "$idle" -gt 0 ] && hold "$port"
  count "pluma-$mpm" "$pid" "$port"; [ -n "$holder" ] && kill "$holder"; stop "$pid"
  if [ "${APACHE:-1}" = 1 ]; then
    a="$root/apache-$mpm"; mkdir -p "$a"; port=$(freeport)
    sed -e "s|^ServerRoot .*|ServerRoot \"$a\"\nMutex file:$a default|" -e "s|^DefaultRuntimeDir .*|DefaultRuntimeDir \"$a\"|" \
        -e "s|^PidFile .*|PidFile \"$a/httpd.pid\"|" -e "s|^Listen .*|Listen 127.0.0.1:$port|" -e "s|^ErrorLog .*|ErrorLog \"$a/error.log\"|" \
        -e "s| modules/| /usr/lib/apache2/modules/|" -e "s|^TypesConfig .*|TypesConfig /etc/mime.types|" "$d/pluma.conf" > "$a/httpd.conf"
    setsid taskset -c 1 /usr/sbin/apache2 -d "$a" -f "$a/httpd.conf" -DFOREGROUND >/dev/null 2>&1 & pid=$!
    sleep 2; holder=; [ "$idle" -gt 0 ] && hold "$port"
    count "apache-$mpm" "$pid" "$port"; [ -n "$holder" ] && kill "$holder"; stop "$pid"
  fi
done
