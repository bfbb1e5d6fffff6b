#!/usr/bin/env bash
# Where a start's CPU goes: records one start of bin/pluma (bench/pluma-candidate.sh's
# configuration; MPM=prefork|worker|event) to its first answered request with `perf record -g`,
# stops it by its pid, and prints per process (parent first, then each child) the share of its
# samples under each Pluma routine, inclusive. bin/pluma is stripped and linked at 0x400000
# (not position-independent), so addresses are named from artifacts/publish/pluma.dbg's symbol
# table. Needs perf (linux-perf) and a `make`-built tree.
#   MPM=prefork bash bench/start-profile.sh [rows]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
mpm=${MPM:-prefork} rows=${1:-40}
bin=${PLUMA_BIN:-$top/bin/pluma} dbg=${PLUMA_DBG:-$top/artifacts/publish/pluma.dbg}
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
mkdir -p "$d/www"; printf '%0100d' 0 > "$d/www/small.html"; chmod -R 755 "$d"
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
CONF_ONLY=1 MPM=$mpm bash "$top/bench/pluma-candidate.sh" "$port" "$d/www" 5 "$d"
perf record -q -F 20000 -g -o "$d/perf.data" -- env APACHE_RUN_DIR="$d" "$bin" -d "$d" -f "$d/pluma.conf" -D FOREGROUND >/dev/null 2>&1 &
recorder=$!
python3 - "$port" <<'PY'
import socket, sys, time
t0 = time.monotonic()
while time.monotonic() - t0 < 60:
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
        s.sendall(b"GET /small.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        ok = s.recv(64).startswith(b"HTTP/1.1 200"); s.close()
        if ok: break
    except OSError:
        time.sleep(0.001)
PY
for _ in $(seq 50); do [ -s "$d/pluma.pid" ] && break; sleep 0.1; done
kill -TERM "$(cat "$d/pluma.pid")"; wait "$recorder"
perf script -i "$d/perf.data" -F pid,ip,sym,dso 2>/dev/null | python3 -c '
import bisect, collections, re, subprocess, sys
dbg, rows = sys.argv[1], int(sys.argv[2])
syms = []
for line in subprocess.run(["nm", "-n", dbg], capture_output=True, text=True).stdout.splitlines():
    p = line.split()
    if len(p) == 3 and p[1] in "tTwW":
        syms.append((int(p[0], 16), p[2]))
addrs = [a for a, _ in syms]
def name(ip, rest):
    if re.search(r"/pluma[^/]*\)$", rest):
        i = bisect.bisect_right(addrs, ip + 0x400000) - 1  # file offset to address
        return syms[i][1] if i >= 0 else hex(ip)
    return rest.rsplit(" (", 1)[0]
inclusive = collections.defaultdict(collections.Counter); total = collections.Counter(); first = []
pid, stack = None, []
def flush():
    if stack:
        total[pid] += 1
        for s in set(stack): inclusive[pid][s] += 1
for line in list(sys.stdin) + ["\n"]:
    if not line.strip():
        flush(); stack = []; continue
    if not line[0].isspace():
        pid = line.split()[0]
        if pid not in first: first.append(pid)
        continue
    ip, _, rest = line.strip().partition(" ")
    stack.append(name(int(ip, 16), rest))
for p in first:
    if total[p] < 50: continue
    print(f"pid {p}: {total[p]} samples ({total[p] / 20:.0f} ms at 20 kHz)")
    shown = [(s, c) for s, c in inclusive[p].most_common() if re.search(r"^(Pluma|pluma)_|RhpCollect|RhpGcAlloc|ResolvePInvoke|_dl_map_object", s)]
    for s, c in shown[:rows]: print(f"  {c * 100 / total[p]:5.1f}%  {s[:110]}")
' "$dbg" "$rows"
