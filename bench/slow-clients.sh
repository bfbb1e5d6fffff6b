#!/usr/bin/env bash
# Slow clients against Pluma and Debian's apache2, prefork/worker/event each: Debian's
# slowhttptest in slowloris (-H), slow body (-B) and slow read (-X) modes, 500 connections, a
# follow-up every 10 s, 30 s, and the seconds a normal client could not be served. Both servers
# run on a private copy of the bundled tree (Debian's apache2.conf, MPM blocks and
# reqtimeout.conf: header=20-40,MinRate=500 body=10,MinRate=500) on 127.0.0.1 and a free port,
# and are stopped by their pid. "unavail" is slowhttptest's own count of seconds its probe got
# no answer within 3 s; "probe" is an independent curl, once a second (failed/total, 2 s limit).
#
#   bash bench/slow-clients.sh              # every server and mode (about 20 minutes)
#   SERVERS="pluma-event apache-event" MODES="H" bash bench/slow-clients.sh
#
# Needs slowhttptest (apt-get install -y slowhttptest), apache2, curl; run as root so that both
# servers' children run as www-data, as Debian's do.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
servers=${SERVERS:-"pluma-prefork pluma-worker pluma-event apache-prefork apache-worker apache-event"}
modes=${MODES:-"H B X"}
conns=${CONNS:-500}
length=${LENGTH:-30}
work=$(mktemp -d)
chmod 755 "$work"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
command -v slowhttptest >/dev/null || { echo "slowhttptest is missing: apt-get install -y slowhttptest" >&2; exit 1; }

freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# A private copy of the bundled tree for one server and MPM, on a free port (as TempConfTree does).
make_tree() { # dir mpm port
  local d=$1 mpm=$2 port=$3
  mkdir -p "$d/var/run" "$d/var/log" "$d/var/lock"
  cp -a "$top/conf" "$d/conf"
  cp -a "$top/www" "$d/www"
  # The slow-read target: large enough to outlast the socket buffers at a few bytes a second.
  head -c 1048576 /dev/zero >"$d/www/html/big.bin"
  sed -i "s/Listen 127\.0\.0\.1:[0-9]*/Listen 127.0.0.1:$port/" "$d/conf/ports.conf"
  sed -i "s/<VirtualHost \*:[0-9]*>/<VirtualHost *:$port>/" "$d/conf/sites-available/000-default.conf"
  for m in event worker prefork; do rm -f "$d/conf/mods-enabled/mpm_$m.load" "$d/conf/mods-enabled/mpm_$m.conf"; done
  ln -s "../mods-available/mpm_$mpm.load" "$d/conf/mods-enabled/mpm_$mpm.load"
  ln -s "../mods-available/mpm_$mpm.conf" "$d/conf/mods-enabled/mpm_$mpm.conf"
  if [ "$(id -u)" = 0 ]; then
    sed -i 's/^export APACHE_RUN_USER=.*/export APACHE_RUN_USER=www-data/; s/^export APACHE_RUN_GROUP=.*/export APACHE_RUN_GROUP=www-data/' "$d/conf/envvars"
  fi
  chmod -R a+rX "$d"
}

start_server() { # kind dir -> echoes the parent's pid
  local kind=$1 d=$2
  if [ "$kind" = pluma ]; then
    setsid "$top/bin/pluma" -d "$d/conf" -D FOREGROUND >"$d/stdout" 2>&1 &
  else
    APACHE_CONFDIR="$d/conf" setsid sh -c '. "$APACHE_CONFDIR/envvars"; exec /usr/sbin/apache2 -d "$APACHE_CONFDIR" -D FOREGROUND' >"$d/stdout" 2>&1 &
  fi
  echo $!
}

wait_up() { # port
  for _ in $(seq 100); do
    curl -s -o /dev/null -m 1 "http://127.0.0.1:$1/" && return 0
    sleep 0.1
  done
  return 1
}

stop_server() { # pid
  kill -TERM "$1" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null
}

# An independent probe: one plain GET a second until the file $stop appears.
probe() { # port stop out
  local fails=0 total=0
  while [ ! -e "$2" ]; do
    local t0=$(date +%s%N)
    total=$((total + 1))
    [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1/")" = 200 ] || fails=$((fails + 1))
    local left=$(( 1000000000 - ($(date +%s%N) - t0) ))
    [ $left -gt 0 ] && sleep "0.$(printf '%09d' $left)"
  done
  echo "$fails/$total" >"$3"
}

attack_args() { # mode port
  case $1 in
    H) echo "-H -u http://127.0.0.1:$2/" ;;
    B) echo "-B -u http://127.0.0.1:$2/ -s 8192" ;;
    X) echo "-X -u http://127.0.0.1:$2/big.bin -k 3 -n 10 -w 1 -y 64 -z 32" ;;
  esac
}

printf '%-16s %-10s %8s %8s %s\n' server mode unavail probe "closed by server at end"
for s in $servers; do
  kind=${s%%-*} mpm=${s#*-}
  for mode in $modes; do
    d=$work/$s-$mode; port=$(freeport)
    make_tree "$d" "$mpm" "$port"
    pid=$(start_server "$kind" "$d")
    if ! wait_up "$port"; then echo "$s did not start: $(tail -3 "$d/stdout" "$d/var/log/error.log" 2>/dev/null)"; stop_server "$pid"; continue; fi
    probe "$port" "$d/stop" "$d/probe" &
    probe_pid=$!
    # shellcheck disable=SC2046
    (cd "$d" && timeout $((length + 30)) slowhttptest $(attack_args "$mode" "$port") -c "$conns" -i 10 -r 200 -l "$length" -p 3 -g -o "$d/sht" >"$d/sht.out" 2>&1)
    touch "$d/stop"; wait "$probe_pid"
    stop_server "$pid"
    # slowhttptest's CSV: seconds,closed,pending,connected,service available (0 = no answer).
    unavail=$(awk -F, 'NR > 1 && $5 == 0 { n++ } END { print n + 0 }' "$d/sht.csv" 2>/dev/null)
    closed=$(awk -F, 'END { print $2 }' "$d/sht.csv" 2>/dev/null)
    name=$(case $mode in H) echo slowloris ;; B) echo slow-body ;; X) echo slow-read ;; esac)
    printf '%-16s %-10s %7ss %8s %s\n' "$s" "$name" "$unavail" "$(cat "$d/probe")" "$closed"
  done
done
