#!/usr/bin/env bash
# HTTPS side by side: Debian's apache2 (event MPM, mod_ssl with Debian's ssl.conf values), nginx
# (Debian's ssl settings) and Pluma (event, mod_ssl) on one self-signed RSA-2048 certificate (the
# kind make-ssl-cert's snakeoil is), a 100-byte file, 50 connections. Two modes per server:
#   ka     keep-alive HTTPS requests per second (one handshake per connection, then requests)
#   close  "Connection: close" on every request, so every request is a new TCP connection and a
#          new TLS handshake: new handshakes per second
# As peers.sh does, the server runs on core SERVER_CPUS and wrk on LOAD_CPUS, and the table gives
# requests per second and requests per server CPU-second (less sensitive to other load), with the
# ratios Pluma / Apache and Pluma / nginx of the same run. Every server binds 127.0.0.1 on a free
# port and is stopped by its pid; every load run is bounded by DURATION.
#
#   bash bench/tls-peers.sh                                   # apache-event nginx pluma-event, 3 reps
#   SERVERS="apache-event pluma-event" REPS=1 DURATION=5 bash bench/tls-peers.sh
#   SSL_VARIANT=reuse MODES=close SERVERS="apache-event pluma-event" REPS=1 bash bench/tls-peers.sh
#
# Needs root (the servers' children run as www-data, as Debian's do), apache2, nginx, wrk, curl,
# openssl, and bin/pluma built in this checkout (make); PLUMA=/path/to/pluma measures another build.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
servers=${SERVERS:-"apache-event nginx pluma-event"}
modes=${MODES:-"ka close"}
reps=${REPS:-3}
duration=${DURATION:-5}
warmup=${WARMUP:-2}
conns=${CONNS:-50}
server_cpus=${SERVER_CPUS:-1}
load_cpus=${LOAD_CPUS:-0}
for tool in apache2 nginx wrk curl openssl taskset; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "$tool is missing: apt-get install -y apache2 nginx wrk curl openssl util-linux" >&2; exit 1; }
done

. "$here/tls-common.sh"

write_apache_conf() { # dir port
  local d=$1 port=$2 M=/usr/lib/apache2/modules
  cat >"$d/httpd.conf" <<CONF
ServerRoot "$d"
DefaultRuntimeDir "$d"
PidFile "$d/httpd.pid"
Mutex file:$d default
ServerName 127.0.0.1
Listen 127.0.0.1:$port
User www-data
Group www-data
LoadModule mpm_event_module $M/mod_mpm_event.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule mime_module $M/mod_mime.so
LoadModule dir_module $M/mod_dir.so
LoadModule socache_shmcb_module $M/mod_socache_shmcb.so
LoadModule ssl_module $M/mod_ssl.so
Timeout 300
KeepAlive On
MaxKeepAliveRequests 100
KeepAliveTimeout 5
ErrorLog "$d/error.log"
LogLevel warn
TypesConfig /etc/mime.types
DocumentRoot "$work/docroot"
<Directory "$work/docroot">
  Require all granted
</Directory>
StartServers 2
MinSpareThreads 25
MaxSpareThreads 75
ThreadLimit 64
ThreadsPerChild 25
MaxRequestWorkers 150
MaxConnectionsPerChild 0
$(ssl_block "$d")
CONF
}

write_pluma_conf() { # dir port
  local d=$1 port=$2
  cat >"$d/pluma.conf" <<CONF
ServerRoot "$d"
DefaultRuntimeDir "$d"
PidFile "$d/pluma.pid"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
User www-data
Group www-data
LoadModule mpm_event_module modules/mod_mpm_event.so
LoadModule authz_core_module modules/mod_authz_core.so
LoadModule mime_module modules/mod_mime.so
LoadModule dir_module modules/mod_dir.so
LoadModule socache_shmcb_module modules/mod_socache_shmcb.so
LoadModule ssl_module modules/mod_ssl.so
Timeout 300
KeepAlive On
MaxKeepAliveRequests 100
KeepAliveTimeout 5
ErrorLog "$d/error.log"
LogLevel warn
TypesConfig "$top/conf/mime.types"
DocumentRoot "$work/docroot"
<Directory "$work/docroot">
  Require all granted
</Directory>
StartServers 2
MinSpareThreads 25
MaxSpareThreads 75
ThreadLimit 64
ThreadsPerChild 25
MaxRequestWorkers 150
MaxConnectionsPerChild 0
$(ssl_block "$d")
CONF
}

write_nginx_conf() { # dir port
  local d=$1 port=$2
  mkdir -p "$d/tmp"
  cat >"$d/nginx.conf" <<CONF
# Debian 12 nginx.conf values (ssl_protocols, ssl_prefer_server_ciphers), access_log off.
user www-data;
worker_processes auto;
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
}

start_server() { # name dir port -> SRV_PID
  local name=$1 d=$2 port=$3 cmd
  case $name in
    apache-event) write_apache_conf "$d" "$port"; cmd=(/usr/sbin/apache2 -d "$d" -f "$d/httpd.conf" -DFOREGROUND) ;;
    nginx) write_nginx_conf "$d" "$port"; cmd=(/usr/sbin/nginx -e "$d/error.log" -p "$d/" -c "$d/nginx.conf") ;;
    pluma-event) write_pluma_conf "$d" "$port"; cmd=("${PLUMA:-$top/bin/pluma}" -d "$d" -f "$d/pluma.conf" -D FOREGROUND) ;;
    *) echo "unknown server $name" >&2; return 1 ;;
  esac
  setsid taskset -c "$server_cpus" "${cmd[@]}" >"$d/stdout.log" 2>&1 &
  SRV_PID=$!
  wait_https "$name" "$d" "$port"
}

run_wrk() { # port mode seconds -> prints rps
  local port=$1 mode=$2 secs=$3 hdr=()
  [ "$mode" = close ] && hdr=(-H "Connection: close")
  taskset -c "$load_cpus" wrk -t1 -c"$conns" -d"${secs}s" --timeout 5s "${hdr[@]}" "https://127.0.0.1:$port/small.html" 2>&1
}

results=$work/results.tsv
: >"$results"
for rep in $(seq "$reps"); do
  for name in $servers; do
    d=$work/srv-$name-$rep; mkdir -p "$d"; chmod 755 "$d"
    port=$(freeport)
    start_server "$name" "$d" "$port" || { stop_server; continue; }
    run_wrk "$port" ka "$warmup" >/dev/null
    for mode in $modes; do
      t0=$(session_ticks "$SRV_PID")
      out=$(run_wrk "$port" "$mode" "$duration")
      t1=$(session_ticks "$SRV_PID")
      rps=$(awk '/Requests\/sec/{print int($2)}' <<<"$out")
      errs=$(awk '/Socket errors|Non-2xx/{print}' <<<"$out" | tr '\n' ' ')
      cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" -v s="$duration" 'BEGIN{printf "%.3f", (b-a)/hz/s}')
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$name" "$mode" "${rps:-0}" "$cpu" "$errs" >>"$results"
      printf '%-13s %-5s rep %s: %7s req/s, server CPU %s cores %s\n' "$name" "$mode" "$rep" "${rps:-0}" "$cpu" "$errs"
    done
    stop_server
  done
done

echo
echo "median of $reps rep(s), ${duration} s each, $conns connections, 100-byte file, RSA-2048"
python3 - "$results" "$servers" "$modes" <<'PY'
import sys, statistics
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
servers, modes = sys.argv[2].split(), sys.argv[3].split()
def med(name, mode, per_cpu):
    v = [int(r[3]) / float(r[4]) if per_cpu else int(r[3]) for r in rows
         if r[1] == name and r[2] == mode and float(r[4]) > 0]
    return statistics.median(v) if v else None
for per_cpu in (False, True):
    print("\n| server | " + " | ".join(("%s req/s per server CPU-s" if per_cpu else "%s req/s") % m for m in modes) + " |")
    print("|---|" + "---:|" * len(modes))
    for s in servers:
        print("| %s | %s |" % (s, " | ".join("%.0f" % x if (x := med(s, m, per_cpu)) else "-" for m in modes)))
    if "pluma-event" in servers:
        for peer in [p for p in servers if p != "pluma-event"]:
            cells = []
            for m in modes:
                a, b = med("pluma-event", m, per_cpu), med(peer, m, per_cpu)
                cells.append("%.2f" % (a / b) if a and b else "-")
            print("| pluma / %s | %s |" % (peer, " | ".join(cells)))
PY
