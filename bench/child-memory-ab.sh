#!/usr/bin/env bash
# Two Pluma builds' children side by side, in kB (bench/child-memory.sh rounds to 0.1 MB, too
# coarse for a change of a few pages): for each MPM in MPMS (default "event prefork") and each
# of REPS rounds (default 3), build A then build B, each started through bench/pluma-candidate.sh,
# loaded with `wrk -t1 -c5 -d3s` on a 100-byte file, read AFTER seconds later (default 3).
# Prints per run the children's median and mean Pss and Private_Dirty, and their total Pss.
# Pages, not time: a loaded machine changes little. PREFORK150=1 starts 150 prefork children.
#
#   bash bench/child-memory-ab.sh OLD_BINARY NEW_BINARY
set -u
here=$(cd "$(dirname "$0")" && pwd)
a=$1 b=$2
root=$(mktemp -d); mkdir -p "$root/www"; python3 -c "open('$root/www/small.html','w').write('x'*100)"
chmod -R 755 "$root"
freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
p150=$'StartServers 150\nMinSpareServers 150\nMaxSpareServers 150\nServerLimit 150\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0'
one() { # label binary mpm
  local d="$root/run"; rm -rf "$d"; mkdir -p "$d"; local port; port=$(freeport)
  MPM_BLOCK=$([ "${PREFORK150:-0}" = 1 ] && echo "$p150") PLUMA_BIN=$2 MPM=$3 taskset -c 1 bash "$here/pluma-candidate.sh" "$port" "$root/www" 5 "$d" >/dev/null 2>&1 &
  local i; for i in $(seq 100); do [ -s "$d/pluma.pid" ] && break; sleep 0.1; done
  local pid; pid=$(cat "$d/pluma.pid")
  sleep "${SETTLE:-2}"; taskset -c 0 wrk -t1 -c5 -d3s "http://127.0.0.1:$port/small.html" >/dev/null; sleep "${AFTER:-3}"
  for k in $(pgrep -P "$pid"); do
    echo "$(awk '/^Pss:/{print $2}' /proc/$k/smaps_rollup) $(awk '/^Private_Dirty:/{print $2}' /proc/$k/smaps_rollup)"
  done | python3 -c '
import statistics as st, sys
rows = [tuple(map(int, l.split())) for l in sys.stdin if l.strip()]
p = [r[0] for r in rows]; d = [r[1] for r in rows]
print("%-6s %-8s children=%3d  Pss median %5d mean %5d kB  Private_Dirty median %5d mean %5d kB  all children Pss %7d kB"
      % (sys.argv[1], sys.argv[2], len(rows), st.median(p), st.mean(p), st.median(d), st.mean(d), sum(p)))' "$1" "$3"
  kill -TERM "$pid"; for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
}
for mpm in ${MPMS:-event prefork}; do
  for r in $(seq "${REPS:-3}"); do
    one A "$a" "$mpm"
    one B "$b" "$mpm"
  done
done
rm -rf "$root"
