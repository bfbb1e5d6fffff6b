#!/usr/bin/env bash
# HTTP/2 over TLS side by side (issue 15): Debian's apache2 (event MPM, mod_ssl and mod_http2,
# Protocols h2 http/1.1), nginx (listen ... ssl http2) and Pluma (event, mod_ssl, mod_http2) on
# one self-signed RSA-2048 certificate, a 100-byte file, and h2load with 10 connections of 10
# concurrent streams each (-c 10 -m 10: 100 streams at once). As tls-peers.sh does, the server
# runs on core SERVER_CPUS and h2load on LOAD_CPUS; the table gives requests per second and
# requests per server CPU-second (less sensitive to other load), with the ratios Pluma / Apache
# and Pluma / nginx of the same run. Every server binds 127.0.0.1 on a free port and is stopped by
# its pid; every load run is bounded by DURATION (h2load -D) and a hard timeout. Requests per
# connection are unlimited on all three (MaxKeepAliveRequests 0, nginx keepalive_requests): with
# Debian's 100 (Apache, Pluma) or nginx's 1000 a connection ends after that many streams, and
# h2load, which does not reconnect, would measure the handshakes or stop early.
#
#   bash bench/h2-peers.sh                                   # apache-event nginx pluma-event, 3 reps
#   SERVERS="apache-event pluma-event" REPS=1 DURATION=5 bash bench/h2-peers.sh
#
# Needs root (the servers' children run as www-data, as Debian's do), apache2, nginx, h2load
# (nghttp2-client), curl, openssl, and bin/pluma built in this checkout (make).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
servers=${SERVERS:-"apache-event nginx pluma-event"}
modes=h2
reps=${REPS:-3}
duration=${DURATION:-5}
warmup=${WARMUP:-2}
conns=${CONNS:-10}
streams=${STREAMS:-10}
server_cpus=${SERVER_CPUS:-1}
load_cpus=${LOAD_CPUS:-0}
for tool in apache2 nginx h2load curl openssl taskset; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "$tool is missing: apt-get install -y apache2 nginx nghttp2-client curl openssl util-linux" >&2; exit 1; }
done

. "$here/tls-common.sh"

# tls-common.sh's ssl.conf values with Apache's default for tickets, and h2 offered first.
h2_ssl_block() { # dir
  TLS_TICKETS_LINE='' ssl_block "$1"
  echo 'Protocols h2 http/1.1'
}

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
LoadModule http2_module $M/mod_http2.so
Timeout 300
KeepAlive On
MaxKeepAliveRequests 0
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
$(h2_ssl_block "$d")
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
LoadModule http2_module modules/mod_http2.so
Timeout 300
KeepAlive On
MaxKeepAliveRequests 0
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
$(h2_ssl_block "$d")
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
  keepalive_requests 1000000;
  access_log off;
  ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
  ssl_prefer_server_ciphers on;
  client_body_temp_path $d/tmp/body;
  proxy_temp_path $d/tmp/proxy;
  fastcgi_temp_path $d/tmp/fastcgi;
  uwsgi_temp_path $d/tmp/uwsgi;
  scgi_temp_path $d/tmp/scgi;
  server {
    listen 127.0.0.1:$port ssl http2;
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
    pluma-event) write_pluma_conf "$d" "$port"; cmd=("$top/bin/pluma" -d "$d" -f "$d/pluma.conf" -D FOREGROUND) ;;
    *) echo "unknown server $name" >&2; return 1 ;;
  esac
  setsid taskset -c "$server_cpus" "${cmd[@]}" >"$d/stdout.log" 2>&1 &
  SRV_PID=$!
  wait_https "$name" "$d" "$port" 2002 --http2 -w '%{http_code}%{http_version}'
}

run_h2load() { # port seconds -> h2load's output
  local port=$1 secs=$2
  timeout $((secs + 30)) taskset -c "$load_cpus" h2load -c"$conns" -m"$streams" -t1 -D"$secs" -T5 "https://127.0.0.1:$port/small.html" 2>&1
}

results=$work/results.tsv
: >"$results"
for rep in $(seq "$reps"); do
  for name in $servers; do
    d=$work/srv-$name-$rep; mkdir -p "$d"; chmod 755 "$d"
    port=$(freeport)
    start_server "$name" "$d" "$port" || { stop_server; continue; }
    run_h2load "$port" "$warmup" >/dev/null
    for mode in $modes; do
      t0=$(session_ticks "$SRV_PID")
      out=$(run_h2load "$port" "$duration")
      t1=$(session_ticks "$SRV_PID")
      rps=$(awk '/^finished in/{gsub(",","",$4); print int($4)}' <<<"$out")
      errs=$(awk '/^requests:/ && ($10 != 0 || $12 != 0){print}' <<<"$out" | tr '\n' ' ')
      cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" -v s="$duration" 'BEGIN{printf "%.3f", (b-a)/hz/s}')
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$name" "$mode" "${rps:-0}" "$cpu" "$errs" >>"$results"
      printf '%-13s %-5s rep %s: %7s req/s, server CPU %s cores %s\n' "$name" "$mode" "$rep" "${rps:-0}" "$cpu" "$errs"
    done
    stop_server
  done
done

echo
echo "median of $reps rep(s), ${duration} s each, h2 over TLS, $conns connections x $streams streams, 100-byte file, RSA-2048, load average $(cut -d" " -f1-3 /proc/loadavg)"
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
