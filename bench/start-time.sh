#!/usr/bin/env bash
# Start to first answered request, per MPM: execs bin/pluma (bench/pluma-candidate.sh's
# configuration, written beforehand in a temporary tree) and polls 127.0.0.1:port with a socket
# every millisecond until a GET of a 100-byte file is answered 200; prints the milliseconds from
# exec to that answer, median and range of REPS starts. Each server is stopped by its pid. MPMS
# (default "event worker prefork"), REPS (5), PLUMA_BIN and BOOST as in bench/start-common.sh;
# APACHE=1 also times Debian's apache2 with the same settings. Beside the wall-clock time, the
# CPU time all the server's processes used from exec until it was stopped right after that
# first answer (`perf stat -e task-clock`, children included; perf outside the server's
# session, since Apache signals its whole process group when it stops): on a loaded machine the
# wall clock mostly measures the wait for a core, the CPU time what starting costs.
set -u
default_mpms="event worker prefork" default_reps=5
. "$(dirname "$0")/start-common.sh"
# CPU_OUT CMD...: prints "ms pid" (perf's pid) of CMD's first answer, CMD under perf stat.
time_first_answer() {
  local out=$1 port=$2; shift 2
  first_answer "$port" perf stat -x, -e task-clock -o "$out" -- "${session[@]}" "$@"
}
stop() { # pidfile perfpid cpufile: TERM the server, wait for perf to report; prints the CPU ms
  kill -TERM "$(cat "$1")" 2>/dev/null; for _ in $(seq 100); do kill -0 "$2" 2>/dev/null || break; sleep 0.1; done
  awk -F, '/task-clock/{printf "%.1f", $1}' "$3"
}
report() { python3 -c 'import sys,statistics as st
r=[l.split() for l in sys.stdin if l.strip()]; w=sorted(float(x[0]) for x in r); c=sorted(float(x[1]) for x in r if len(x)>1)
print(f"{sys.argv[1]:16} median {st.median(w):6.1f} ms (range {w[0]:.1f}-{w[-1]:.1f}, {len(w)} starts), CPU {st.median(c) if c else 0:.1f} ms (range {c[0] if c else 0:.1f}-{c[-1] if c else 0:.1f})")' "$1"; }
for mpm in $mpms; do
  for r in $(seq "$reps"); do
    d="$root/pluma-$mpm-$r"; port=$(pluma_conf "$d" "$mpm")
    read -r ms pid < <(time_first_answer "$d/cpu" "$port" env APACHE_RUN_DIR="$d" "$pluma_bin" -d "$d" -f "$d/pluma.conf" -D FOREGROUND)
    echo "$ms $(stop "$d/pluma.pid" "$pid" "$d/cpu")"
  done | report "pluma-$mpm"
  if [ "${APACHE:-0}" = 1 ]; then
    for r in $(seq "$reps"); do
      d="$root/apache-$mpm-$r"; mkdir -p "$d"; port=$(freeport); M=/usr/lib/apache2/modules
      printf 'ServerRoot "%s"\nDefaultRuntimeDir "%s"\nPidFile "%s/httpd.pid"\nMutex file:%s default\nServerName 127.0.0.1\nListen 127.0.0.1:%s\nUser www-data\nGroup www-data\nLoadModule mpm_%s_module %s/mod_mpm_%s.so\nLoadModule authz_core_module %s/mod_authz_core.so\nLoadModule mime_module %s/mod_mime.so\nLoadModule dir_module %s/mod_dir.so\nErrorLog "%s/error.log"\nTypesConfig /etc/mime.types\nDocumentRoot "%s/www"\n<Directory "%s/www">\n  Require all granted\n</Directory>\n' \
        "$d" "$d" "$d" "$d" "$port" "$mpm" $M "$mpm" $M $M $M "$d" "$root" "$root" > "$d/httpd.conf"
      read -r ms pid < <(time_first_answer "$d/cpu" "$port" /usr/sbin/apache2 -d "$d" -f "$d/httpd.conf" -DFOREGROUND)
      echo "$ms $(stop "$d/httpd.pid" "$pid" "$d/cpu")"
    done | report "apache-$mpm"
  fi
done
