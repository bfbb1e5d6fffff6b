#!/usr/bin/env bash
# Requests per second through mod_proxy_fcgi to Debian's php8.2-fpm (unix socket, a 6-byte
# PHP page) and through mod_proxy_http to Debian's nginx (a 100-byte file), Pluma event against
# Apache event, one after another in one run: wrk, 2 threads, 16 connections, DURATION seconds
# (default 10) per case. All servers on 127.0.0.1 and free ports, in a temporary folder,
# stopped by their pids.
#
#   bash bench/app-backends.sh
#
# Needs wrk, php8.2-fpm, nginx, apache2, curl; run as root so that the servers' children run
# as www-data, as Debian's do.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
duration=${DURATION:-10}
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  sleep 2
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
for tool in wrk nginx curl /usr/sbin/php-fpm8.2 /usr/sbin/apache2; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install -y wrk nginx curl php8.2-fpm apache2)" >&2; exit 1; }
done

freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 100); do curl -s -o /dev/null -m 1 "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }
root=$([ "$(id -u)" = 0 ] && echo 1 || echo 0)

# php-fpm: one static pool of 4 on a unix socket.
mkdir -p "$work/fpm" && chmod 755 "$work/fpm"
cat >"$work/fpm/php-fpm.conf" <<CONF
[global]
pid = $work/fpm/php-fpm.pid
error_log = $work/fpm/php-fpm.log
daemonize = no
[bench]
$([ "$root" = 1 ] && printf 'user = www-data\ngroup = www-data\n')
listen = $work/fpm/php-fpm.sock
listen.mode = 0666
pm = static
pm.max_children = 4
CONF
/usr/sbin/php-fpm8.2 -F -y "$work/fpm/php-fpm.conf" >"$work/fpm/stdout" 2>&1 &
pids+=($!)

# nginx: the HTTP backend, a 100-byte file.
nport=$(freeport)
mkdir -p "$work/nginx/html" && head -c 100 /dev/zero | tr '\0' 'n' >"$work/nginx/html/small.txt"
cat >"$work/nginx/nginx.conf" <<CONF
$([ "$root" = 1 ] && echo 'user www-data;')
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:$nport; root $work/nginx/html; keepalive_requests 100000; }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" >"$work/nginx/stdout" 2>&1 &
pids+=($!)

make_tree() { # dir port
  local d=$1 port=$2
  mkdir -p "$d/var/run" "$d/var/log" "$d/var/lock"
  cp -a "$top/conf" "$d/conf"
  cp -a "$top/www" "$d/www"
  printf '<?php echo "hello\\n";\n' >"$d/www/html/hello.php"
  sed -i "s/Listen 127\.0\.0\.1:[0-9]*/Listen 127.0.0.1:$port/" "$d/conf/ports.conf"
  sed -i "s/<VirtualHost \*:[0-9]*>/<VirtualHost *:$port>/" "$d/conf/sites-available/000-default.conf"
  if [ "$root" = 1 ]; then
    sed -i 's/^export APACHE_RUN_USER=.*/export APACHE_RUN_USER=www-data/; s/^export APACHE_RUN_GROUP=.*/export APACHE_RUN_GROUP=www-data/' "$d/conf/envvars"
  fi
  cat >>"$d/conf/apache2.conf" <<CONF
Include mods-available/proxy.load
Include mods-available/proxy_fcgi.load
Include mods-available/proxy_http.load
<FilesMatch ".+\.ph(?:ar|p|tml)\$">
    SetHandler "proxy:unix:$work/fpm/php-fpm.sock|fcgi://localhost"
</FilesMatch>
ProxyPass /backend/ http://127.0.0.1:$nport/
CONF
  # No access log, as in the peers comparisons: the figures are the proxy path's.
  sed -i 's/^\s*CustomLog/#CustomLog/' "$d/conf/sites-available/000-default.conf" "$d/conf/conf-available/other-vhosts-access-log.conf"
  chmod -R a+rX "$d"
}

pport=$(freeport); aport=$(freeport)
make_tree "$work/pluma" "$pport"
make_tree "$work/apache" "$aport"
"$top/bin/pluma" -d "$work/pluma/conf" -D FOREGROUND >"$work/pluma/stdout" 2>&1 &
pids+=($!)
APACHE_CONFDIR="$work/apache/conf" sh -c '. "$APACHE_CONFDIR/envvars"; exec /usr/sbin/apache2 -d "$APACHE_CONFDIR" -D FOREGROUND' >"$work/apache/stdout" 2>&1 &
pids+=($!)
wait_up "http://127.0.0.1:$nport/small.txt" && wait_up "http://127.0.0.1:$pport/" && wait_up "http://127.0.0.1:$aport/" || exit 1

printf '%-12s %-14s %12s %10s %8s\n' server case req/s p50 non-2xx
for case in php:/hello.php http:/backend/small.txt; do
  name=${case%%:*}; path=${case#*:}
  for server in pluma:$pport apache:$aport; do
    s=${server%%:*}; port=${server#*:}
    body=$(curl -s "http://127.0.0.1:$port$path")
    [ -n "$body" ] || { echo "$s $path gave no body" >&2; exit 1; }
    out=$(wrk -t2 -c16 -d"${duration}s" --latency "http://127.0.0.1:$port$path")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    bad=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    printf '%-12s %-14s %12s %10s %8s\n' "$s-event" "$name" "$rps" "$p50" "${bad:-0}"
  done
done
