#!/usr/bin/env bash
# Tail latency at 50 connections, each Pluma MPM against its Apache namesake (Debian's
# apache2 with Debian's mpm_*.conf block; Pluma through bench/pluma-candidate.sh with the same
# configuration). For every MPM and rep, the two servers run in turn (the order alternates by
# rep), server on CPU 1 and wrk on CPU 0: `wrk -t1 -c50 -d${DUR}s --latency` after a 1 s
# warm-up, keep-alive and Connection: close (MODES). Besides wrk's requests per second and
# its p50/p99, the CPU time every process of the server used during the run (utime+stime of
# the parent and its children from /proc, children already reaped included), so requests per
# server CPU-second compare servers that got unequal shares of a loaded core, and the
# 1-minute load average when the run ended. Servers and wrk run at nice NICE (default -10, as
# the workspace's peers.sh: other users of a shared machine then take less of their cores).
# Prints one TSV row per run, then medians.
#   MPMS="event worker prefork" MODES="ka close" REPS=3 DUR=5 bash bench/latency.sh
# PLUMA_BIN picks another build; PLUMA_DEBUG=1 logs mpm_*:debug in Pluma's error log (the
# idle child's PL00410 line counts its collections); OUT keeps the raw output (default: a temp dir).
set -u
nice=(nice -n ${NICE:--10})
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d); mkdir -p "$root/www"; python3 -c "open('$root/www/small.html','w').write('x'*100)"; chmod -R 755 "$root"
out=${OUT:-$root/out}; mkdir -p "$out"
trap 'rm -rf "$root"' EXIT
freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
block() {
  if [ "$1" = prefork ]; then printf 'StartServers 5\nMinSpareServers 5\nMaxSpareServers 10\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0\n'
  else printf 'StartServers 2\nMinSpareThreads 25\nMaxSpareThreads 75\nThreadLimit 64\nThreadsPerChild 25\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0\n'; fi
}
# CPU ticks of a process tree: the parent (with its reaped children) and its live children.
cputicks() {
  local t; t=$(awk '{print $14+$15+$16+$17}' /proc/$1/stat 2>/dev/null || echo 0)
  for k in $(pgrep -P $1); do t=$((t + $(awk '{print $14+$15}' /proc/$k/stat 2>/dev/null || echo 0))); done
  echo $t
}
start_apache() { # mpm port dir -> pid
  local d=$3 M=/usr/lib/apache2/modules; mkdir -p $d
  cat > $d/httpd.conf <<CONF
ServerRoot "$d"
DefaultRuntimeDir "$d"
PidFile "$d/httpd.pid"
Mutex file:$d default
ServerName 127.0.0.1
Listen 127.0.0.1:$2
User www-data
Group www-data
LoadModule mpm_${1}_module $M/mod_mpm_${1}.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule mime_module $M/mod_mime.so
LoadModule dir_module $M/mod_dir.so
Timeout 300
KeepAlive On
MaxKeepAliveRequests 100
KeepAliveTimeout 5
ErrorLog "$d/error.log"
TypesConfig /etc/mime.types
DocumentRoot "$root/www"
<Directory "$root/www">
  Require all granted
</Directory>
$(block $1)
CONF
  setsid "${nice[@]}" taskset -c 1 /usr/sbin/apache2 -d $d -f $d/httpd.conf -DFOREGROUND >/dev/null 2>&1 & echo $!
}
start_pluma() { # mpm port dir -> pid
  local d=$3 extra=""; mkdir -p $d
  [ "${PLUMA_DEBUG:-0}" = 1 ] && extra="LogLevel warn mpm_$1:debug"
  MPM_BLOCK="$(block $1)
$extra" MPM=$1 setsid "${nice[@]}" taskset -c 1 bash "$here/pluma-candidate.sh" $2 $root/www 5 $d >/dev/null 2>&1 &
  for i in $(seq 100); do [ -s $d/pluma.pid ] && break; sleep 0.1; done; cat $d/pluma.pid
}
stopit() { kill -TERM $1 2>/dev/null; for i in $(seq 100); do kill -0 $1 2>/dev/null || return 0; sleep 0.1; done; kill -KILL $1 2>/dev/null; }
printf 'mpm\tserver\tmode\trep\trps\tp50_ms\tp99_ms\tcpu_s\trps_per_cpu_s\tload1\n' | tee $out/runs.tsv
for mpm in ${MPMS:-event worker prefork}; do
  for rep in $(seq ${REPS:-3}); do
    order="apache pluma"; [ $((rep % 2)) = 0 ] && order="pluma apache"
    for srv in $order; do
      port=$(freeport); dir=$root/$srv-$mpm-$rep
      pid=$(start_$srv $mpm $port $dir)
      for i in $(seq 100); do curl -s -o /dev/null -m 1 http://127.0.0.1:$port/small.html && break; sleep 0.1; done
      "${nice[@]}" taskset -c 0 wrk -t1 -c50 -d1s http://127.0.0.1:$port/small.html >/dev/null
      for mode in ${MODES:-ka close}; do
        hdr=(); [ $mode = close ] && hdr=(-H 'Connection: close')
        c0=$(cputicks $pid)
        timeout $(( ${DUR:-5} + 20 )) "${nice[@]}" taskset -c 0 wrk -t1 -c50 -d${DUR:-5}s --latency --timeout 5s "${hdr[@]}" http://127.0.0.1:$port/small.html > $out/$srv-$mpm-$mode-$rep.txt
        c1=$(cputicks $pid)
        python3 - $out/$srv-$mpm-$mode-$rep.txt $mpm $srv $mode $rep $((c1 - c0)) "$(cut -d' ' -f1 /proc/loadavg)" <<'PY' | tee -a $out/runs.tsv
import re, sys
f, mpm, srv, mode, rep, ticks, load = sys.argv[1:]
t = open(f).read()
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", t, re.M)
    if not m: return float("nan")
    v = float(m.group(1)); return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
m = re.search(r"Requests/sec:\s+([\d.]+)", t); rps = float(m.group(1)) if m else 0.0
m = re.search(r"(\d+) requests in ([\d.]+)s", t); n = int(m.group(1)) if m else 0
cpu = int(ticks) / 100
print(f"{mpm}\t{srv}\t{mode}\t{rep}\t{rps:.0f}\t{ms('50%'):.2f}\t{ms('99%'):.2f}\t{cpu:.2f}\t{(n / cpu if cpu else 0):.0f}\t{load}")
PY
      done
      [ -f $dir/error.log ] && cp $dir/error.log $out/$srv-$mpm-$rep.error.log
      stopit $pid
    done
  done
done
echo; echo "medians (p99 ratio = pluma / apache; <= 1.0 meets the target)"
python3 - $out/runs.tsv <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
med = lambda k, f: statistics.median(float(r[f]) for r in rows if (r["mpm"], r["server"], r["mode"]) == k)
print("mpm\tmode\tapache p99\tpluma p99\tp99 ratio\tapache rps/cpu-s\tpluma rps/cpu-s\tapache rps\tpluma rps")
for mpm in dict.fromkeys(r["mpm"] for r in rows):
    for mode in dict.fromkeys(r["mode"] for r in rows):
        a, p = (mpm, "apache", mode), (mpm, "pluma", mode)
        print(f"{mpm}\t{mode}\t{med(a,'p99_ms'):.2f}\t{med(p,'p99_ms'):.2f}\t{med(p,'p99_ms')/med(a,'p99_ms'):.2f}\t{med(a,'rps_per_cpu_s'):.0f}\t{med(p,'rps_per_cpu_s'):.0f}\t{med(a,'rps'):.0f}\t{med(p,'rps'):.0f}")
PY
echo "raw: $out"
