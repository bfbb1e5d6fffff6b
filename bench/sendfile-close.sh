#!/usr/bin/env bash
# EnableSendfile Off against On, with Apache (Debian's settings, EnableSendfile not set: Off) in
# the same run: one file (default 1 MiB), wrk -t1 -c50 with Connection: close (MODE=ka: keep-
# alive), REPS interleaved reps, the server order rotating by rep. Each server is started fresh,
# pinned to CPU 1, wrk to CPU 0, both at nice -10 (as peers.sh runs them). Prints per run: req/s,
# the server's CPU a request (utime+stime of its session, children reaped included) and wrk's.
#
#   MPM=worker REPS=4 bash bench/sendfile-close.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
MPM=${MPM:-worker} REPS=${REPS:-4} DURATION=${DURATION:-3} SIZE=${SIZE:-1048576} MODE=${MODE:-close}
BASE_PORT=${BASE_PORT:-$((28700 + RANDOM % 100))}
PORT=$BASE_PORT
tmp=$(mktemp -d)
pid=""
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=""; }
trap 'stop; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/www"
head -c "$SIZE" /dev/urandom > "$tmp/www/big.bin"
chmod -R a+rX "$tmp"
hz=$(getconf CLK_TCK)

apache_conf() { # dir
  local d=$1 M=/usr/lib/apache2/modules user=""
  [ "$(id -u)" = 0 ] && user=$'User www-data\nGroup www-data'
  if [ "$MPM" = prefork ]; then
    block=$'StartServers 5\nMinSpareServers 5\nMaxSpareServers 10\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0'
  else
    block=$'StartServers 2\nMinSpareThreads 25\nMaxSpareThreads 75\nThreadLimit 64\nThreadsPerChild 25\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0'
  fi
  cat > "$d/httpd.conf" <<CONF
ServerRoot "$d"
DefaultRuntimeDir "$d"
PidFile "$d/httpd.pid"
Mutex file:$d default
ServerName 127.0.0.1
Listen 127.0.0.1:$PORT
$user
LoadModule mpm_${MPM}_module $M/mod_mpm_${MPM}.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule mime_module $M/mod_mime.so
LoadModule dir_module $M/mod_dir.so
Timeout 300
KeepAlive On
MaxKeepAliveRequests 100
KeepAliveTimeout 5
HostnameLookups Off
ErrorLog "$d/error.log"
LogLevel warn
TypesConfig /etc/mime.types
DocumentRoot "$tmp/www"
<Directory />
  Options FollowSymLinks
  AllowOverride None
  Require all denied
</Directory>
<Directory "$tmp/www">
  Options Indexes FollowSymLinks
  AllowOverride None
  Require all granted
</Directory>
DirectoryIndex index.html
$block
CONF
}

start() { # name (a new port each start: a stopped Apache's children may still hold the last one)
  PORT=$((PORT + 1))
  local d="$tmp/$1"
  rm -rf "$d"; mkdir -p "$d"; chmod a+rx "$d"
  case $1 in
    apache) apache_conf "$d"
      setsid nice -n -10 taskset -c 1 /usr/sbin/apache2 -d "$d" -f "$d/httpd.conf" -DFOREGROUND > "$d/out.log" 2>&1 & ;;
    pluma-off|pluma-on) local s=Off; [ "$1" = pluma-on ] && s=On
      SENDFILE=$s MPM=$MPM setsid nice -n -10 taskset -c 1 bash "$here/pluma-candidate.sh" "$PORT" "$tmp/www" 5 "$d" > "$d/out.log" 2>&1 & ;;
  esac
  pid=$!
  for _ in $(seq 100); do curl -fso /dev/null "http://127.0.0.1:$PORT/big.bin" && break; sleep 0.1; done
  timeout 20 nice -n -10 taskset -c 0 wrk -t1 -c50 -d2s "http://127.0.0.1:$PORT/big.bin" > /dev/null 2>&1 || true # warm-up
}

cpu_ticks() { # utime+stime (+ reaped children's) of the processes in $pid's session, in ticks
  # after "pid (comm) ": session is field 4, utime stime cutime cstime fields 12-15
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v sid="$pid" '{ sub(/^.*\) /, ""); if ($4 == sid) s += $12 + $13 + $14 + $15 } END { print s + 0 }'
}

echo "# $(date -u '+%F %T') UTC, MPM=$MPM MODE=$MODE SIZE=$SIZE REPS=$REPS DURATION=$DURATION, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rep server req/s server_us/req wrk_us/req"
order=(pluma-off apache pluma-on)
hdr=(); [ "$MODE" = close ] && hdr=(-H 'Connection: close')
for rep in $(seq "$REPS"); do
  for i in 0 1 2; do
    name=${order[$(((i + rep) % 3))]}
    start "$name"
    c0=$(cpu_ticks)
    out=$(timeout $((DURATION + 20)) nice -n -10 taskset -c 0 perf stat -x, -e task-clock -o "$tmp/wrk.perf" \
      wrk -t1 -c50 -d"${DURATION}s" --timeout 2s "${hdr[@]}" "http://127.0.0.1:$PORT/big.bin") || { echo "$rep $name: wrk failed (see $tmp/$name/out.log)"; stop; continue; }
    c1=$(cpu_ticks)
    stop
    python3 - "$rep" "$name" "$c0" "$c1" "$hz" "$tmp/wrk.perf" "$out" <<'PY'
import re, sys
rep, name, c0, c1, hz, perf, out = sys.argv[1:8]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
reqs = int(re.search(r"(\d+) requests in", out).group(1))
wrk_ms = next(float(l.split(",")[0]) for l in open(perf) if "task-clock" in l)
errs = re.search(r"Socket errors:.*|Non-2xx.*", out)
print(f"{rep} {name} {rps:,.0f} {(int(c1)-int(c0))/int(hz)*1e6/reqs:,.0f} {wrk_ms*1000/reqs:,.0f}" + (f"  ({errs.group(0)})" if errs else ""))
PY
  done
done
echo "# end $(date -u '+%T') UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
