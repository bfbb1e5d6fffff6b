#!/usr/bin/env bash
# Start to first answered request, per MPM: execs bin/pluma (bench/pluma-candidate.sh's
# configuration, written beforehand in a temporary tree) and polls 127.0.0.1:port with a socket every millisecond
# until a GET of a 100-byte file is answered 200; prints the milliseconds from exec to that
# answer, median and range of REPS starts. Each server is stopped by its pid. MPMS and REPS
# are environment variables (defaults: "event worker prefork", 5); APACHE=1 also times
# Debian's apache2 with the same settings. Beside the wall-clock time, the CPU time all the
# server's processes used from exec until it was stopped right after that first answer
# (`perf stat -e task-clock`, children included; the server in its own session, since Apache
# signals its whole process group when it stops): on a loaded machine the wall clock mostly
# measures the wait for a core, the CPU time what starting costs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
reps=${REPS:-5}
root=$(mktemp -d); mkdir -p "$root/www"; python3 -c "open('$root/www/small.html','w').write('x'*100)"; chmod -R 755 "$root"
trap 'rm -rf "$root"' EXIT
freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
# Runs CMD... under perf stat in the background, polls PORT, prints "ms pid" (perf's pid).
time_first_answer() {
  local port=$1; shift
  python3 - "$port" "$@" <<'PY'
import os, socket, subprocess, sys, time
port = int(sys.argv[1]); cmd = sys.argv[2:]
t0 = time.monotonic()
p = subprocess.Popen(["perf", "stat", "-x,", "-e", "task-clock", "-o", os.environ["CPU_OUT"], "--", "setsid"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
req = b"GET /small.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
ms = -1
while time.monotonic() - t0 < 30:
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(req)
        data = s.recv(64)
        s.close()
        if data.startswith(b"HTTP/1.1 200"):
            ms = (time.monotonic() - t0) * 1000
            break
    except OSError:
        time.sleep(0.001)
print(f"{ms:.1f} {p.pid}")
PY
}
stop() { # pidfile perfpid: TERM the server, wait for perf to report; prints the CPU ms
  kill -TERM "$(cat "$1")" 2>/dev/null; for _ in $(seq 100); do kill -0 "$2" 2>/dev/null || break; sleep 0.1; done
  awk -F, '/task-clock/{printf "%.1f", $1}' "$CPU_OUT"
}
report() { python3 -c 'import sys,statistics as st
r=[l.split() for l in sys.stdin if l.strip()]; w=sorted(float(x[0]) for x in r); c=sorted(float(x[1]) for x in r if len(x)>1)
print(f"{sys.argv[1]:16} median {st.median(w):6.1f} ms (range {w[0]:.1f}-{w[-1]:.1f}, {len(w)} starts), CPU {st.median(c) if c else 0:.1f} ms (range {c[0] if c else 0:.1f}-{c[-1] if c else 0:.1f})")' "$1"; }
for mpm in ${MPMS:-event worker prefork}; do
  for r in $(seq "$reps"); do
    d="$root/pluma-$mpm-$r"; mkdir -p "$d"; port=$(freeport)
    CONF_ONLY=1 MPM="$mpm" bash "$here/pluma-candidate.sh" "$port" "$root/www" 5 "$d"
    export CPU_OUT="$d/cpu"
    read -r ms pid < <(time_first_answer "$port" env APACHE_RUN_DIR="$d" "${PLUMA_BIN:-$here/../bin/pluma}" -d "$d" -f "$d/pluma.conf" -D FOREGROUND)
    echo "$ms $(stop "$d/pluma.pid" "$pid")"
  done | report "pluma-$mpm"
  if [ "${APACHE:-0}" = 1 ]; then
    for r in $(seq "$reps"); do
      d="$root/apache-$mpm-$r"; mkdir -p "$d"; port=$(freeport); M=/usr/lib/apache2/modules
      printf 'ServerRoot "%s"\nDefaultRuntimeDir "%s"\nPidFile "%s/httpd.pid"\nMutex file:%s default\nServerName 127.0.0.1\nListen 127.0.0.1:%s\nUser www-data\nGroup www-data\nLoadModule mpm_%s_module %s/mod_mpm_%s.so\nLoadModule authz_core_module %s/mod_authz_core.so\nLoadModule mime_module %s/mod_mime.so\nLoadModule dir_module %s/mod_dir.so\nErrorLog "%s/error.log"\nTypesConfig /etc/mime.types\nDocumentRoot "%s/www"\n<Directory "%s/www">\n  Require all granted\n</Directory>\n' \
        "$d" "$d" "$d" "$d" "$port" "$mpm" $M "$mpm" $M $M $M "$d" "$root" "$root" > "$d/httpd.conf"
      export CPU_OUT="$d/cpu"
      read -r ms pid < <(time_first_answer "$port" /usr/sbin/apache2 -d "$d" -f "$d/httpd.conf" -DFOREGROUND)
      echo "$ms $(stop "$d/httpd.pid" "$pid")"
    done | report "apache-$mpm"
  fi
done
