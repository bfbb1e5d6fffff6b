# What bench/start-time.sh, bench/child-start-cpu.sh and bench/start-profile.sh share; sourced,
# after the caller has set default_mpms and default_reps:
#   - the arguments: MPMS (default $default_mpms), REPS ($default_reps), PLUMA_BIN (another
#     build; default bin/pluma), BOOST (below);
#   - a temporary tree ($root, removed on exit) holding www/small.html, the 100-byte file every
#     probe asks for;
#   - pluma_conf DIR MPM [BLOCK]: writes DIR/pluma.conf, bench/pluma-candidate.sh's
#     configuration on a free port (BLOCK replaces its MPM block), and prints the port;
#   - first_answer PORT [CMD...]: polls 127.0.0.1:PORT with a socket every millisecond until a GET
#     of small.html is answered 200 (30 s at most); with CMD it execs CMD first and prints the
#     milliseconds from that exec to the answer and CMD's pid, else only the milliseconds
#     (-1: no answer);
#   - in_session CMD... (or "${session[@]}" CMD... inside another command): runs CMD in a
#     session of its own (Apache signals its whole process group when it stops). Under BOOST=1
#     (root only) that session's scheduling group (/proc/PID/autogroup: one per session) runs
#     at nice -20: on a machine whose CPUs other sessions keep busy, the measured server then
#     gets them as on a quiet machine, while its own processes still compete with one another
#     as they would there. The probe runs in such a session too.
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mpms=${MPMS:-$default_mpms}
reps=${REPS:-$default_reps}
pluma_bin=${PLUMA_BIN:-$bench/../bin/pluma}
boost=${BOOST:-0}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/www"
printf '%0100d' 0 > "$root/www/small.html"
chmod -R 755 "$root"

session=(setsid sh -c 'if [ "$0" = 1 ]; then echo -20 > /proc/self/autogroup || exit 1; fi; exec "$@"' "$boost")
in_session() { "${session[@]}" "$@"; }

freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

pluma_conf() {
  local dir=$1 mpm=$2 block=${3:-} port
  port=$(freeport)
  mkdir -p "$dir"
  MPM_BLOCK=$block CONF_ONLY=1 MPM=$mpm bash "$bench/pluma-candidate.sh" "$port" "$root/www" 5 "$dir"
  echo "$port"
}

first_answer() {
  local port=$1; shift
  in_session python3 -c '
import subprocess, socket, sys, time
port = int(sys.argv[1]); cmd = sys.argv[2:]
t0 = time.monotonic()
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if cmd else None
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
print(f"{ms:.1f} {p.pid}" if p else f"{ms:.1f}")
' "$port" "$@"
}
