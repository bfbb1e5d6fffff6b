#!/usr/bin/env bash
# What one server start costs per request, start after start: whether Pluma's rep-to-rep
# spread (bench/RESULTS.md; peers.sh starts the server afresh for every rep) comes from the start
# or from the machine. For each MPM, STARTS fresh starts of bin/pluma through
# bench/pluma-candidate.sh (Debian's MPM block, as peers.sh runs it), the server on SERVER_CPUS
# and wrk on LOAD_CPUS as peers.sh pins them; after WARMUP s of wrk, one bounded run of
# `wrk -t1 -c50 -dDURATION s` (keep-alive, 100 B) under `perf stat --per-thread` of the parent
# and every child, and `perf record -e sched:sched_switch` on the server's core. Per request:
# system calls (raw_syscalls:sys_enter), context switches, CPU time (task-clock); how the work was
# split: the children that did any (share of the system calls, largest first; "?" is the parent
# with any child it started during the run) and the threads that did (count, largest share);
# switches of the server's core from one process to another, and from one child to another, and
# how many processes ran there. System calls, context switches and the split are counts: they
# barely move with the machine's load; CPU time does. (This guest has no hardware counters:
# no instructions or cycles.) bench/README.md, "Children taking turns on one core".
#
#   MPMS="event worker prefork" STARTS=6 NICE=-20 bash bench/spread.sh
#
# PLUMA_BIN picks another build; NICE (peers.sh uses -10; below 0 needs root) for server and wrk;
# CONNS, DURATION, WARMUP, SERVER_CPUS, LOAD_CPUS as named. Needs perf, wrk, taskset and root
# (perf on the core). The server binds 127.0.0.1 on a free port and is stopped by its pid.
set -u
here=$(cd "$(dirname "$0")" && pwd)
starts=${STARTS:-8} conns=${CONNS:-50} dur=${DURATION:-5} warm=${WARMUP:-3}
scpu=${SERVER_CPUS:-1} lcpu=${LOAD_CPUS:-0} nice=${NICE:-0}
root=$(mktemp -d); mkdir -p "$root/www"; python3 -c "open('$root/www/small.html','w').write('x'*100)"; chmod -R 755 "$root"
srv=""
trap '[ -n "$srv" ] && kill -TERM "$srv" 2>/dev/null; rm -rf "$root"' EXIT
freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
stop() { kill -TERM "$1" 2>/dev/null; for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; }
for mpm in ${MPMS:-event worker prefork}; do
  echo "== $mpm: $starts starts, wrk -t1 -c$conns -d${dur}s after ${warm}s of warm-up; per request: syscalls, context switches, CPU us; children with work (share of syscalls); threads with work (largest share)"
  for s in $(seq "$starts"); do
    d="$root/$mpm-$s"; mkdir -p "$d"; port=$(freeport)
    MPM=$mpm nice -n "$nice" taskset -c "$scpu" bash "$here/pluma-candidate.sh" "$port" "$root/www" 0 "$d" >/dev/null 2>&1 &
    srv=$!
    for _ in $(seq 100); do
      [ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$port/small.html")" = 200 ] && break; sleep 0.1
    done
    url="http://127.0.0.1:$port/small.html"
    [ "$warm" -gt 0 ] && timeout $((warm + 20)) nice -n "$nice" taskset -c "$lcpu" wrk -t1 -c"$conns" -d"${warm}s" "$url" >/dev/null 2>&1
    # A prefork child may be stopped between the listing and perf's attach (idle children go
    # once wrk's warm-up ends): perf then refuses the list; list again and retry.
    for attempt in 1 2 3; do
      kids=$(pgrep -P "$srv" | paste -sd,)
      # tid -> pid of every child's thread, for the split by child
      for k in ${kids//,/ }; do for t in /proc/"$k"/task/*; do echo "${t##*/} $k"; done; done > "$d/tids" 2>/dev/null
      # The parent too: a child it starts during the run inherits its counters (counted as the parent's).
      # Outside: every switch on the server's core, to count the switches from one process to another.
      perf record -q -e sched:sched_switch -C "$scpu" -o "$d/switches" -- \
        perf stat --per-thread -x, -e raw_syscalls:sys_enter,context-switches,task-clock -p "$srv,$kids" -o "$d/perf" -- \
        timeout $((dur + 20)) nice -n "$nice" taskset -c "$lcpu" wrk -t1 -c"$conns" -d"${dur}s" "$url" > "$d/wrk" 2>&1
      grep -q raw_syscalls "$d/perf" 2>/dev/null && break
    done
    # The process (thread group) of the task that ran until each switch; 0 is the idle task.
    perf script -i "$d/switches" -F pid 2>/dev/null | tr -d ' ' > "$d/ran"
    after=$(pgrep -P "$srv" | wc -l)
    stop "$srv"; srv=""
    n=$(awk '/requests in/{print $1}' "$d/wrk")
    python3 - "$d/perf" "$d/tids" "${n:-0}" "$s" "$after" "$d/ran" <<'PY'
import sys, collections
perf, tids, n, start, after, ran = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
owner = dict(l.split() for l in open(tids) if l.strip())
tot = collections.Counter(); by_child = collections.Counter(); by_thread = collections.Counter()
for line in open(perf):
    f = line.strip().split(",")
    if len(f) < 4 or not f[1].replace(".", "").isdigit():
        continue
    tid = f[0].rsplit("-", 1)[-1]
    ev, v = f[3], float(f[1])
    tot[ev] += v
    if ev == "raw_syscalls:sys_enter":
        by_child[owner.get(tid, "?")] += v
        by_thread[tid] += v
if n == 0:
    print(f"start {start}: no requests"); sys.exit()
# Switches from one process to another on the server's core (the idle task in between does not
# change the address space): between two of the server's children, and all of them.
kids_set = set(owner.values())
prev = None; between_children = 0; between_any = 0; spaces = set()
for line in open(ran):
    tg = line.strip()
    if not tg or tg == "0":
        continue
    spaces.add(tg)
    if prev is not None and tg != prev:
        between_any += 1
        if tg in kids_set and prev in kids_set:
            between_children += 1
    prev = tg
sc = tot["raw_syscalls:sys_enter"]
kids = sorted((v / sc for v in by_child.values() if v > 0.01 * sc), reverse=True) if sc else []
threads = [v for v in by_thread.values() if v > 0.01 * sc] if sc else []
print(f"start {start}: {n} requests; syscalls/req {sc / n:.2f}; cs/req {tot['context-switches'] / n:.3f}; "
      f"CPU us/req {tot['task-clock'] * 1000 / n:.1f}; children at the end {after}, with work {len(kids)} ({' '.join(f'{k:.0%}' for k in kids)}); "
      f"threads {len(threads)} (largest {max(threads) / sc if threads else 0:.0%}); "
      f"process switches/req on the core {between_any / n:.3f}, child to child {between_children / n:.3f}, "
      f"processes that ran there {len(spaces)}")
PY
  done
done
