#!/usr/bin/env bash
# Where a start's CPU goes: records one start of bin/pluma (bench/pluma-candidate.sh's
# configuration; MPM=prefork|worker|event) to its first answered request with `perf record -g`,
# stops it by its pid, and prints per process (parent first, then each child) the share of its
# samples under each Pluma routine, inclusive. bin/pluma is stripped and linked at 0x400000
# (not position-independent), so addresses are named from artifacts/publish/pluma.dbg's symbol
# table. Needs perf (linux-perf) and a `make`-built tree. PLUMA_BIN, PLUMA_DBG (its symbols) and
# BOOST as in bench/start-common.sh.
#   MPM=prefork bash bench/start-profile.sh [rows]
set -u
default_mpms="" default_reps=1
. "$(dirname "$0")/start-common.sh"
mpm=${MPM:-prefork} rows=${1:-40}
dbg=${PLUMA_DBG:-$bench/../artifacts/publish/pluma.dbg}
d="$root/profile"; port=$(pluma_conf "$d" "$mpm")
perf record -q -F 20000 -g -o "$d/perf.data" -- "${session[@]}" env APACHE_RUN_DIR="$d" "$pluma_bin" -d "$d" -f "$d/pluma.conf" -D FOREGROUND >/dev/null 2>&1 &
recorder=$!
first_answer "$port" >/dev/null
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
    if not line.startswith("\t"):  # a sample header (perf pads the pid with spaces); frames start with a tab
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
