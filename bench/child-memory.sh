#!/usr/bin/env bash
# Per-child VmRSS and Pss after `wrk -t1 -c5 -d3s` on a 100-byte file: Debian's apache2 and
# Pluma (bin/pluma through bench/pluma-candidate.sh) with the same configuration, event and
# prefork (MPMS="event prefork"). Servers on CPU 1, wrk on CPU 0; each stopped by its pid.
# Besides the median child: its Private_Dirty (pages no other process shares) and the total
# Pss of all children. AFTER: seconds from the load's end to the reading (default 1; 3 lets
# a threaded child's idle release run, Common/IdleRelease). PREFORK150=1 starts 150 prefork children on both sides (StartServers,
# MinSpareServers, MaxSpareServers and MaxRequestWorkers 150): the total is the figure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d); mkdir -p $root/www; python3 -c "open('$root/www/small.html','w').write('x'*100)"
chmod -R 755 $root
freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
p150=$'StartServers 150\nMinSpareServers 150\nMaxSpareServers 150\nServerLimit 150\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0'
block() { if [ "${PREFORK150:-0}" = 1 ]; then echo "$p150"; elif [ $1 = prefork ]; then printf 'StartServers 5\nMinSpareServers 5\nMaxSpareServers 10\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0\n'; else printf 'StartServers 2\nMinSpareThreads 25\nMaxSpareThreads 75\nThreadLimit 64\nThreadsPerChild 25\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0\n'; fi; }
measure() { # name parentpid port
  sleep ${SETTLE:-2}; taskset -c 0 wrk -t1 -c5 -d3s http://127.0.0.1:$3/small.html >/dev/null; sleep ${AFTER:-1}
  for k in $(pgrep -P $2); do echo "$(awk '/VmRSS/{print $2}' /proc/$k/status) $(awk '/^Pss:/{print $2}' /proc/$k/smaps_rollup) $(awk '/^Private_Dirty:/{print $2}' /proc/$k/smaps_rollup)"; done | sort -n |
    awk -v n=$1 '{r[NR]=$1; p[NR]=$2; d[NR]=$3; tp+=$2} END{m=int((NR+1)/2); printf "%-16s children=%d median child VmRSS %.1f MB, Pss %.1f MB, Private_Dirty %.1f MB (VmRSS range %.1f-%.1f); all children Pss %.1f MB\n", n, NR, r[m]/1024, p[m]/1024, d[m]/1024, r[1]/1024, r[NR]/1024, tp/1024}'
}
for mpm in ${MPMS:-event prefork}; do
  d=$root/apache-$mpm; mkdir -p $d; port=$(freeport); M=/usr/lib/apache2/modules
  cat > $d/httpd.conf <<CONF
ServerRoot "$d"
DefaultRuntimeDir "$d"
PidFile "$d/httpd.pid"
Mutex file:$d default
ServerName 127.0.0.1
Listen 127.0.0.1:$port
User www-data
Group www-data
LoadModule mpm_${mpm}_module $M/mod_mpm_${mpm}.so
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
$(block $mpm)
CONF
  setsid taskset -c 1 /usr/sbin/apache2 -d $d -f $d/httpd.conf -DFOREGROUND >/dev/null 2>&1 & pid=$!
  measure apache-$mpm $pid $port; kill -TERM $pid; for i in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.2; done
  d=$root/pluma-$mpm; mkdir -p $d; port=$(freeport)
  MPM_BLOCK=$([ "${PREFORK150:-0}" = 1 ] && echo "$p150") MPM=$mpm taskset -c 1 bash "$here/pluma-candidate.sh" $port $root/www 5 $d >/dev/null 2>&1 & sleep 2; pid=$(cat $d/pluma.pid)
  measure pluma-$mpm $pid $port; kill -TERM $pid; sleep 2
done
rm -rf $root
