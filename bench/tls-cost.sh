#!/usr/bin/env bash
# Cost of one HTTPS request, counted in what a loaded machine does not disturb: system calls
# (`perf stat` of the syscall tracepoints on the serving processes) per request, with the serving
# processes' context switches and CPU time (task-clock) per request, or with CALLGRIND=1 user-space
# instructions per request (the server run under `valgrind --tool=callgrind --trace-children=yes`,
# counters zeroed after the warm-up and dumped after the run, `callgrind_control`), per request, for a 100-byte file over one RSA-2048 self-signed certificate with Debian's ssl.conf
# values (tls-peers.sh's). One serving process each: Pluma event with one child (ServerLimit 1),
# nginx with one worker, Apache event with one child. Modes:
#   ka     keep-alive requests (wrk -c10: ten handshakes, then requests)
#   close  "Connection: close": a TCP connection and a handshake per request (wrk offers its
#          previous session, so most resume, as in tls-peers.sh)
# Every server binds 127.0.0.1 on a free port and is stopped by its pid; each count is over a
# bounded wrk run (DURATION seconds).
#
#   bash bench/tls-cost.sh                         # pluma-event nginx, modes ka close
#   SERVERS=pluma-event MODES=ka DURATION=5 PLUMA=/path/to/pluma bash bench/tls-cost.sh
#   FILE=big.bin SERVERS=pluma-event MODES=ka bash bench/tls-cost.sh   # 1 MiB instead of 100 bytes
#
#   CALLGRIND=1 SERVERS="pluma-event nginx" bash bench/tls-cost.sh
#   PERF_RECORD=1 PERF_RECORD_DIR=/some/dir SERVERS=pluma-event MODES=close bash bench/tls-cost.sh
#       # also `perf record -g` of the serving processes: perf-<server>-<mode>.data in that directory
#
# Needs root (the children run as www-data), perf, valgrind, wrk, curl, openssl, nginx/apache2 for
# those peers, and bin/pluma built in this checkout (make).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
servers=${SERVERS:-"pluma-event nginx"}
modes=${MODES:-"ka close"}
duration=${DURATION:-5}
conns=${CONNS:-10}
. "$here/tls-common.sh"

common_conf() { # dir port pidfile
  cat <<CONF
ServerRoot "$1"
DefaultRuntimeDir "$1"
PidFile "$1/$3"
ServerName 127.0.0.1
Listen 127.0.0.1:$2
User www-data
Group www-data
Timeout 300
KeepAlive On
MaxKeepAliveRequests 100
KeepAliveTimeout 5
ErrorLog "$1/error.log"
LogLevel warn
DocumentRoot "$work/docroot"
<Directory "$work/docroot">
  Require all granted
</Directory>
ServerLimit 1
StartServers 1
MinSpareThreads 1
MaxSpareThreads 25
ThreadLimit 25
ThreadsPerChild 25
MaxRequestWorkers 25
MaxConnectionsPerChild 0
$(ssl_block "$1")
CONF
}

write_conf() { # name dir port
  local name=$1 d=$2 port=$3 M=/usr/lib/apache2/modules
  case $name in
    pluma-event)
      { printf 'LoadModule %s modules/%s.so\n' mpm_event_module mod_mpm_event authz_core_module mod_authz_core \
          mime_module mod_mime dir_module mod_dir socache_shmcb_module mod_socache_shmcb ssl_module mod_ssl
        echo "TypesConfig \"$top/conf/mime.types\""
        common_conf "$d" "$port" pluma.pid; } >"$d/server.conf" ;;
    apache-event)
      { printf "LoadModule %s $M/%s.so\n" mpm_event_module mod_mpm_event authz_core_module mod_authz_core \
          mime_module mod_mime dir_module mod_dir socache_shmcb_module mod_socache_shmcb ssl_module mod_ssl
        echo "Mutex file:$d default"
        echo "TypesConfig /etc/mime.types"
        common_conf "$d" "$port" httpd.pid; } >"$d/server.conf" ;;
    nginx)
      mkdir -p "$d/tmp"
      cat >"$d/server.conf" <<CONF
user www-data;
worker_processes 1;
daemon off;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 8192; }
http {
  include /etc/nginx/mime.types;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  access_log off;
  ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
  ssl_prefer_server_ciphers on;
  client_body_temp_path $d/tmp/body;
  proxy_temp_path $d/tmp/proxy;
  fastcgi_temp_path $d/tmp/fastcgi;
  uwsgi_temp_path $d/tmp/uwsgi;
  scgi_temp_path $d/tmp/scgi;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $cert;
    ssl_certificate_key $key;
    root $work/docroot;
  }
}
CONF
      ;;
  esac
}

start_server() { # name dir port -> SRV_PID
  local name=$1 d=$2 port=$3 cmd i
  write_conf "$name" "$d" "$port"
  case $name in
    pluma-event) cmd=("${PLUMA:-$top/bin/pluma}" -d "$d" -f "$d/server.conf" -D FOREGROUND) ;;
    apache-event) cmd=(/usr/sbin/apache2 -d "$d" -f "$d/server.conf" -DFOREGROUND) ;;
    nginx) cmd=(/usr/sbin/nginx -e "$d/error.log" -p "$d/" -c "$d/server.conf") ;;
  esac
  # Under callgrind the whole server runs as www-data: a child that starts as root and then
  # changes user cannot write the profile its root self created.
  [ -n "${CALLGRIND:-}" ] && { chown -R www-data:www-data "$work"
    cmd=(setpriv --reuid=www-data --regid=www-data --clear-groups valgrind -q --tool=callgrind --vgdb=no --trace-children=yes --callgrind-out-file="$d/cg.%p" "${cmd[@]}"); }
  setsid "${cmd[@]}" >"$d/stdout.log" 2>&1 &
  SRV_PID=$!
  for i in $(seq 300); do
    kill -0 "$SRV_PID" 2>/dev/null || { echo "$name exited at start:" >&2; tail -5 "$d/stdout.log" "$d/error.log" >&2; return 1; }
    [ "$(curl -sk -o /dev/null -m 1 -w '%{http_code}' "https://127.0.0.1:$port/small.html")" = 200 ] && return 0
    sleep 0.2
  done
  echo "$name did not answer https on $port" >&2
  return 1
}

# The serving processes: the children (the parent only supervises; nginx's master too).
children() { pgrep -P "$SRV_PID" | paste -sd, -; }

run_wrk() { # port mode -> request count
  local hdr=()
  [ "$2" = close ] && hdr=(-H "Connection: close")
  wrk -t1 -c"$conns" -d"${duration}s" --timeout 5s "${hdr[@]}" "https://127.0.0.1:$1/${FILE:-small.html}" 2>&1 |
    awk '/requests in/{print $1}'
}

# Under callgrind (children exec'd as root, then running as www-data, so callgrind_control cannot
# reach them): the children's instructions from start to exit for a short and a long run of the
# same mode; their difference over the difference in requests is the cost of one request.
if [ -n "${CALLGRIND:-}" ]; then
  for name in $servers; do
    for mode in $modes; do
      for secs in ${CG_SECS:-3 9}; do
        d=$work/$name-$mode-$secs; mkdir -p "$d"; chmod 755 "$d"
        port=$(freeport)
        start_server "$name" "$d" "$port" || { stop_server; continue; }
        n=$(duration=$secs run_wrk "$port" "$mode")
        stop_server
        sleep 1
        ir=$(for f in "$d"/cg.*; do [ "$f" = "$d/cg.$SRV_PID" ] || awk '/^summary:/{print $2}' "$f"; done | awk '{s+=$1} END{printf "%.0f\n", s}')
        echo "$n $ir" >>"$work/$name-$mode.cg"
      done
      read -r n1 ir1 n2 ir2 <<<"$(paste -sd' ' "$work/$name-$mode.cg")"
      printf '%-13s %-5s %7s and %7s req: %9.0f instructions (user) per request (callgrind)\n' "$name" "$mode" "$n1" "$n2" \
        "$(echo "($ir2 - $ir1) / ($n2 - $n1)" | bc -l)"
    done
  done
  exit 0
fi

for name in $servers; do
  d=$work/$name; mkdir -p "$d"; chmod 755 "$d"
  port=$(freeport)
  start_server "$name" "$d" "$port" || { stop_server; continue; }
  wrk -t1 -c"$conns" -d2s "https://127.0.0.1:$port/small.html" >/dev/null 2>&1
  pids=$(children)
  for mode in $modes; do
    wrk -t1 -c"$conns" -d1s "https://127.0.0.1:$port/small.html" >/dev/null 2>&1
    # The syscall tracepoints (perf stat): exact counts, and unlike strace they do not slow each
    # call down, so the client's timing (does its next request come before the server looks?)
    # stays the same.
    ev=task-clock,context-switches,raw_syscalls:sys_enter
    for c in read recvfrom write sendto writev poll epoll_wait epoll_ctl futex sched_yield getpid newfstatat pread64 openat close accept4 shutdown setsockopt; do
      ev=$ev,syscalls:sys_enter_$c
    done
    perf stat -x, -e "$ev" -p "$pids" -o "$d/perf.$mode" &
    st_pid=$!
    # PERF_RECORD=1: also a call-graph profile of the serving processes (perf report -i the file).
    rec_pid=
    [ -n "${PERF_RECORD:-}" ] && { perf record -q -g -p "$pids" -o "$d/record.$mode" >/dev/null 2>&1 & rec_pid=$!; }
    sleep 0.5
    ns=$(run_wrk "$port" "$mode")
    kill -INT "$st_pid"; wait "$st_pid" 2>/dev/null
    [ -n "$rec_pid" ] && { kill -INT "$rec_pid"; wait "$rec_pid" 2>/dev/null; cp "$d/record.$mode" "${PERF_RECORD_DIR:-.}/perf-$name-$mode.data" 2>/dev/null; }
    calls=$(awk -F, '$3=="raw_syscalls:sys_enter"{print $1}' "$d/perf.$mode")
    # task-clock: the serving processes' CPU time (user and system), in ms. Per request it moves
    # less with other load than requests per second do, but it does move (caches, and how many
    # sleeps and wake-ups the server's threads make): compare builds interleaved, several runs each.
    cpu_ms=$(awk -F, '$3=="task-clock"{print $1}' "$d/perf.$mode")
    switches=$(awk -F, '$3=="context-switches"{print $1}' "$d/perf.$mode")
    printf '%-13s %-5s %8s req: %5.1f system calls, %4.1f context switches, %6.1f us CPU per request (perf stat)\n' "$name" "$mode" "$ns" \
      "$(echo "$calls / $ns" | bc -l)" "$(echo "$switches / $ns" | bc -l)" "$(echo "$cpu_ms * 1000 / $ns" | bc -l)"
    [ -n "${VERBOSE:-}" ] && awk -F, -v n="$ns" '$3 ~ /sys_enter_/ && $1 > 0 {sub("syscalls:sys_enter_", "", $3); printf "    %-16s %6.2f\n", $3, $1/n}' "$d/perf.$mode"
  done
  stop_server
done
