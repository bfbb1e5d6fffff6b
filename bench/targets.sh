#!/usr/bin/env bash
# Issue 16's target table in one command: runs the measurements the existing scripts make and
# prints a markdown table (target, measured ratio or value with the raw figures, met / not met),
# also written to $OUT/targets.md.
#
#   PEERS=<path to the workspace's peers.sh> bash bench/targets.sh            # ~25 min, defaults
#   QUICK=1 PEERS=<path to the workspace's peers.sh> bash bench/targets.sh    # ~6-11 min smoke run
#   bash bench/targets.sh --table OUTDIR      # print the table again from an earlier run's OUT
#
# After the table: every throughput cell, then each server's CPU per request rep by rep (100 B),
# with the cells whose reps differ by more than 1.25x in bold (each rep is a fresh server start).
#
# Parts (PARTS, default "throughput idle start memory"; a part left out shows "not measured"):
#   throughput  peers.sh once per MPM (it takes one candidate per run): Pluma through
#               bench/pluma-candidate.sh against its Apache namesake (Debian's settings, same
#               configuration, so EnableSendfile Off), plus nginx for event (whose 1 MiB rows say
#               "sendfile": the event candidate runs with EnableSendfile On, as nginx's sendfile on); REPS interleaved reps, DURATION s a run,
#               wrk keep-alive and close (MODES), FILES for worker/prefork, EVENT_FILES for event
#               (the event targets name 100 B and 1 MiB only). Its wrk runs (-c50 --latency) also
#               give the p99 rows.
#   idle        peers.sh with nginx and Pluma event: the no-idle rate (throughput phase, 100 B),
#               then IDLE_N idle keep-alive connections held while wrk runs, in the same run.
#   start       bench/start-time.sh (START_REPS starts per MPM, Apache too for context).
#   memory      bench/child-memory.sh, event and prefork (MEM_REPS runs: pages, not time), then
#               once with 150 prefork children (PREFORK150=1, SETTLE=MEM150_SETTLE).
#   latency     optional: bench/latency.sh (REPS reps of LAT_DUR s, server order alternating by
#               rep) for the p99 rows instead of the throughput part's runs; adds ~6 min.
# Default run, quiet 2-vCPU machine: throughput ~16 min, idle ~5, memory ~2, start ~2: about
# 25 minutes. peers.sh reruns a load run once when other processes took over 25% of a core, so
# on a busy machine it can take ~40. Time-based figures need a quiet machine; memory figures do
# not.
#
# PEERS must be given: the harness lives in the workspace, not in this repository (bench/README.md
# runs it as `bash peers.sh`). PLUMA_BIN picks another build (default: this checkout's bin/pluma);
# WARMUP goes to peers.sh; NICE, BASE_PORT and peers.sh's other settings pass through the
# environment. Every server binds 127.0.0.1 (the scripts' configurations); each part runs in the
# background so an interrupt reaches this script, which then stops that part's whole process
# tree by pid. The scripts remove their own temporary trees; OUT keeps only results.
set -u -o pipefail
# The whole script is one compound command, so bash has read all of it before it runs: a run
# takes 25 minutes, and a checkout changing this file meanwhile must not change what it does.
{
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)

if [ "${1:-}" = --table ]; then
  [ -d "${2:-}" ] || { echo "usage: bash bench/targets.sh --table OUTDIR" >&2; exit 2; }
  OUT=$2 TABLE_ONLY=1
fi

if [ "${QUICK:-0}" = 1 ]; then   # smoke run: every part once, short runs; the figures are not the targets' medians
  : "${REPS:=1}" "${DURATION:=2}" "${FILES:=small}" "${START_REPS:=2}" "${WARMUP:=1}" "${LAT_DUR:=2}"
fi
: "${PARTS:=throughput idle start memory}"
: "${REPS:=3}"                       # interleaved reps (peers.sh REPS and IDLE_REPS, latency.sh REPS)
: "${DURATION:=5}"                   # seconds per peers.sh load run
: "${WARMUP:=3}"                     # peers.sh's seconds of wrk per file after a start: Apache prefork
                                     # needs them to spawn its children for 50 connections
: "${MODES:=wrk-ka wrk-close}"       # peers.sh modes; "ab-ka ab-close" add 1.5-2 min per file and MPM
: "${FILES:=small 4k 1m}"            # worker and prefork: "never below 1.0x on any file size"
: "${EVENT_FILES:=small 1m}"         # event: the 100 B and 1 MiB targets
: "${IDLE_N:=4000}"
: "${START_REPS:=3}"
: "${MEM_REPS:=1}"
: "${MEM_AFTER:=3}"                  # child-memory.sh AFTER: lets a threaded child's idle release run
: "${MEM150_SETTLE:=8}"              # 150 prefork children need a few seconds to all start
: "${LAT_DUR:=5}"                    # latency.sh DUR, when PARTS has latency
: "${OUT:=/tmp/targets-$(date -u +%Y%m%d-%H%M%S)}"
: "${TABLE_ONLY:=0}"

# ------------------------------------------------------------------ the table (python3, stdlib)
table() {
  python3 - "$OUT" <<'PY'
import math, os, re, statistics, sys

out = sys.argv[1]
P = lambda *a: os.path.join(out, *a)
rows, details = [], []

def tsv(path):
    try:
        with open(path) as f:
            hdr = f.readline().rstrip("\n").split("\t")
            return [dict(zip(hdr, l.rstrip("\n").split("\t"))) for l in f if l.strip()]
    except OSError:
        return []

def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan

def med(xs):
    xs = [x for x in xs if not math.isnan(x)]
    return statistics.median(xs) if xs else math.nan

def kv(path):  # peers.sh snapshots: one line of k=v
    try:
        return dict(t.split("=", 1) for t in open(path).read().split() if "=" in t)
    except OSError:
        return {}

good = lambda x: not math.isnan(x)
n0 = lambda x: f"{x:,.0f}"
MODE = {"wrk-ka": "keep-alive", "wrk-close": "close", "ab-ka": "ab keep-alive", "ab-close": "ab close"}
FILE = {"small": "100 B", "4k": "4 KiB", "1m": "1 MiB"}

def row(target, measured, met):
    rows.append((target, measured, "not measured" if met is None else "met" if met else "**not met**"))

# ---- peers.sh throughput runs: medians per (server, mode, file) over the reps
def peers(run):
    cells = {}
    for r in tsv(P(f"peers-{run}", "results.tsv")):
        if r["phase"] == "throughput":
            cells.setdefault((r["server"], r["mode"], r["file"]), []).append(r)
    def get(server, mode, file):
        g = cells.get((server, mode, file), [])
        # requests per second of server CPU time: robust to the server's share of a busy core
        eff = [num(r["rps"]) / (num(r["srv_cpu_pct"]) / 100) if num(r["srv_cpu_pct"]) > 1 else math.nan for r in g]
        return {"rps": med([num(r["rps"]) for r in g]), "eff": med(eff), "p99": med([num(r["p99_ms"]) for r in g]),
                "err": sum(int(num(r["errors"])) for r in g if good(num(r["errors"]))), "n": len(g)}
    return cells, get

def ratio(get, cand, peer, mode, file):
    c, p = get(cand, mode, file), get(peer, mode, file)
    if not (c["n"] and p["n"] and good(c["rps"]) and good(p["rps"]) and p["rps"] > 0):
        return None, "no data"
    r = c["rps"] / p["rps"]
    e = f"; {c['eff'] / p['eff']:.2f}x per server CPU-s" if good(c["eff"]) and good(p["eff"]) and p["eff"] else ""
    errs = f"; errors {c['err']} / {p['err']}" if c["err"] or p["err"] else ""
    return r, f"{r:.2f}x ({n0(c['rps'])} vs {n0(p['rps'])} req/s{e}{errs})"

def tp_row(target, get, cand, peer, mode, file, bar):
    r, text = ratio(get, cand, peer, mode, file)
    row(target, text, None if r is None else r >= bar)

reps_seen = set()
spreads = []
SPREAD_MAX = 1.25
for mpm in ("event", "worker", "prefork"):
    cells, get = peers(mpm)
    cand, apache = f"pluma-{mpm}", f"apache-{mpm}-deb"
    reps_seen |= {r["rep"] for g in cells.values() for r in g}
    if mpm == "event":
        tp_row("Event, 100 B, keep-alive >= 1.0x nginx", get, cand, "nginx", "wrk-ka", "small", 1.0)
        tp_row("Event, 100 B, keep-alive >= 3x Apache event", get, cand, apache, "wrk-ka", "small", 3.0)
        tp_row("Event, 100 B, close >= 1.0x nginx", get, cand, "nginx", "wrk-close", "small", 1.0)
        tp_row("Event, 1 MiB (sendfile), keep-alive >= 1.0x nginx", get, cand, "nginx", "wrk-ka", "1m", 1.0)
        tp_row("Event, 1 MiB (sendfile), close >= 1.0x nginx", get, cand, "nginx", "wrk-close", "1m", 1.0)
    else:
        for mode in ("wrk-ka", "wrk-close"):
            tp_row(f"{mpm.capitalize()}, 100 B, {MODE[mode]} >= 2x Apache {mpm}", get, cand, apache, mode, "small", 2.0)
        rs = []
        for (s, m, f) in sorted(cells):
            if s == cand:
                r, _ = ratio(get, cand, apache, m, f)
                if r is not None:
                    rs.append((r, m, f))
        if rs:
            lo = min(rs)
            row(f"{mpm.capitalize()}, never below 1.0x Apache {mpm} (every file and mode measured)",
                f"lowest {lo[0]:.2f}x ({MODE.get(lo[1], lo[1])}, {FILE.get(lo[2], lo[2])}) of {len(rs)} cells", lo[0] >= 1.0)
        else:
            row(f"{mpm.capitalize()}, never below 1.0x Apache {mpm} (every file and mode measured)", "no data", None)
    # details: every cell of the run, Pluma against each peer
    peers_here = sorted({s for (s, _, _) in cells if s != cand})
    for peer in peers_here:
        for (s, m, f) in sorted(cells, key=lambda k: (list(FILE).index(k[2]) if k[2] in FILE else 9, list(MODE).index(k[1]) if k[1] in MODE else 9)):
            if s != cand:
                continue
            c, p = get(cand, m, f), get(peer, m, f)
            r, _ = ratio(get, cand, peer, m, f)
            details.append((mpm, peer, MODE.get(m, m), FILE.get(f, f), n0(c["rps"]) if good(c["rps"]) else "-",
                            n0(p["rps"]) if good(p["rps"]) else "-", f"{r:.2f}x" if r is not None else "-",
                            f"{c['eff'] / p['eff']:.2f}x" if good(c["eff"]) and good(p["eff"]) and p["eff"] else "-",
                            f"{c['p99']:.1f} / {p['p99']:.1f}" if good(c["p99"]) and good(p["p99"]) else "-",
                            f"{c['err']} / {p['err']}", f"{c['n']} / {p['n']}"))

    # spread: server CPU per request rep by rep (a fresh server start each); a cell whose reps
    # disagree by more than SPREAD_MAX has a median that says little (bench/README.md, "Children
    # taking turns on one core")
    for (s, m, f), g in sorted(cells.items()):
        us = [(int(r["rep"]), num(r["srv_cpu_pct"]) / 100 / num(r["rps"]) * 1e6) for r in g
              if num(r["rps"]) > 0 and num(r["srv_cpu_pct"]) > 1]
        us = [x for x in sorted(us) if good(x[1])]
        if len(us) >= 2 and f == "small":
            lo, hi = min(u for _, u in us), max(u for _, u in us)
            spreads.append((mpm, s, MODE.get(m, m), FILE.get(f, f), " / ".join(f"{u:.1f}" for _, u in us), hi / lo))

# ---- idle: the same peers.sh run gives the no-idle rate (throughput phase) and the idle phase
idle_rows = tsv(P("peers-idle", "idle.tsv"))
_, iget = peers("idle")
ic = "pluma-event"
def irows(server):
    return [r for r in idle_rows if r["server"] == server]
n_idle = next((int(r["idle_n"]) for r in idle_rows), None)
if n_idle is None:
    for t in ("all held", "new requests >= 0.8x the no-idle rate", "memory for them <= 2x nginx's"):
        row(f"Event, 4,000 idle keep-alive connections: {t}", "no data", None)
else:
    lab = f"Event, {n_idle:,} idle keep-alive connections"
    def held(server):
        rs = irows(server)
        ok = [r for r in rs if num(r["responded"]) == n_idle and num(r["open_end"]) == n_idle]
        served = "/".join(r["responded"] for r in rs); opened = "/".join(r["open_end"] for r in rs)
        return len(rs) > 0 and len(ok) == len(rs), f"served {served} of {n_idle}, open at end {opened}"
    ok, text = held(ic)
    _, ntext = held("nginx")
    row(f"{lab}: all held", f"{text} (each rep; nginx {ntext})", ok if irows(ic) else None)
    for mode, col in (("wrk-ka", "ka_rps"), ("wrk-close", "close_rps")):
        busy = med([num(r[col]) for r in irows(ic)]); base = iget(ic, mode, "small")["rps"]
        nb = med([num(r[col]) for r in irows("nginx")]); nbase = iget("nginx", mode, "small")["rps"]
        if good(busy) and good(base) and base > 0:
            nt = f"; nginx {nb / nbase:.2f}x" if good(nb) and good(nbase) and nbase > 0 else ""
            row(f"{lab}: new requests ({MODE[mode]}) >= 0.8x the no-idle rate",
                f"{busy / base:.2f}x ({n0(busy)} vs {n0(base)} req/s{nt})", busy / base >= 0.8)
        else:
            row(f"{lab}: new requests ({MODE[mode]}) >= 0.8x the no-idle rate", "no data", None)
    def mem(server):  # Pss of the whole process tree with the idle set held, minus before it (MB)
        d, tot = [], []
        for r in irows(server):
            b = kv(P("peers-idle", "raw", f"idle{n_idle}_r{r['rep']}_{server}.base"))
            i = kv(P("peers-idle", "raw", f"idle{n_idle}_r{r['rep']}_{server}.idle"))
            if "pss_kb" in b and "pss_kb" in i:
                d.append((int(i["pss_kb"]) - int(b["pss_kb"])) / 1024)
            tot.append(num(r["idle_pss_mib"]))
        return med(d), med(tot)
    (cd, ct), (nd, nt) = mem(ic), mem("nginx")
    # The verdict compares the whole server's Pss with the set held: the growth from the reading
    # before the set (shown) is not "memory for them" for Pluma, whose children hand idle memory
    # back in between (it can come out negative), so the total is the bound both pay.
    if good(ct) and good(nt) and nt > 0:
        row(f"{lab}: memory for them <= 2x nginx's",
            f"{ct / nt:.2f}x (whole server's Pss with them held {ct:.1f} vs {nt:.1f} MB; growth over the same server "
            f"before them {cd:+.1f} vs {nd:+.1f} MB)", ct / nt <= 2.0)
    else:
        row(f"{lab}: memory for them <= 2x nginx's", "no data", None)

# ---- memory: bench/child-memory.sh lines, medians over its runs
MEM = re.compile(r"^(\S+)\s+children=(\d+) median child VmRSS ([\d.]+) MB, Pss ([\d.]+) MB, "
                 r"Private_Dirty ([\d.]+) MB.*all children Pss ([\d.]+) MB")
def memfiles(pattern):
    got = {}
    d = P("memory")
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        if re.fullmatch(pattern, name):
            for line in open(os.path.join(d, name)):
                m = MEM.match(line)
                if m:
                    got.setdefault(m.group(1), []).append({"children": int(m.group(2)), "pss": float(m.group(4)),
                                                           "dirty": float(m.group(5)), "total": float(m.group(6))})
    return got
mm = memfiles(r"child-memory-\d+\.txt")
pe, ae = mm.get("pluma-event", []), mm.get("apache-event", [])
if pe and ae:
    p, a = med([x["pss"] for x in pe]), med([x["pss"] for x in ae])
    row("Memory: event child Pss after load <= 1.5x Apache's",
        f"{p / a:.2f}x ({p:.1f} vs {a:.1f} MB, median child; Private_Dirty {med([x['dirty'] for x in pe]):.1f} vs "
        f"{med([x['dirty'] for x in ae]):.1f} MB; {len(pe)} run{'s' if len(pe) > 1 else ''})", p / a <= 1.5)
else:
    row("Memory: event child Pss after load <= 1.5x Apache's", "no data", None)
pp, ap = mm.get("pluma-prefork", []), mm.get("apache-prefork", [])
if pp:
    p = med([x["pss"] for x in pp])
    a = f"; Apache {med([x['pss'] for x in ap]):.1f} MB" if ap else ""
    row("Memory: prefork child Pss after load <= 2 MB", f"{p:.1f} MB (median child{a}; {len(pp)} run{'s' if len(pp) > 1 else ''})", p <= 2.0)
else:
    row("Memory: prefork child Pss after load <= 2 MB", "no data", None)
m150 = memfiles(r"child-memory-prefork150\.txt")
p150, a150 = m150.get("pluma-prefork", []), m150.get("apache-prefork", [])
if p150 and a150:
    p, a = p150[0], a150[0]
    short = "" if p["children"] == a["children"] == 150 else f"; only {p['children']} / {a['children']} children counted"
    row("Memory: 150 prefork children, total Pss <= 2x Apache's",
        f"{p['total'] / a['total']:.2f}x ({p['total']:.1f} vs {a['total']:.1f} MB{short})",
        p["total"] / a["total"] <= 2.0 if not short else False)
else:
    row("Memory: 150 prefork children, total Pss <= 2x Apache's", "no data", None)

# ---- start: bench/start-time.sh's report lines
START = re.compile(r"^(pluma|apache)-(\w+)\s+median\s+(-?[\d.]+) ms \(range (-?[\d.]+)-(-?[\d.]+), (\d+) starts\), "
                   r"CPU ([\d.]+) ms")
st = {}
if os.path.exists(P("start-time.txt")):
    for line in open(P("start-time.txt")):
        m = START.match(line)
        if m:
            st[(m.group(1), m.group(2))] = [float(m.group(i)) for i in (3, 4, 5, 6, 7)]
for mpm in ("event", "worker", "prefork"):
    p, a = st.get(("pluma", mpm)), st.get(("apache", mpm))
    if not p:
        row(f"Start to first answered request, {mpm} <= 100 ms", "no data", None)
        continue
    ctx = f"; Apache {a[0]:.1f} ms, CPU {a[4]:.0f} ms" if a else ""
    failed = p[1] < 0  # start-time.sh records -1 for a start that never answered (30 s)
    row(f"Start to first answered request, {mpm} <= 100 ms",
        f"{p[0]:.1f} ms (median of {int(p[3])}, range {p[1]:.1f}-{p[2]:.1f}; CPU {p[4]:.0f} ms{ctx})"
        + ("; a start never answered" if failed else ""), 0 <= p[0] <= 100 and not failed)

# ---- latency: p99 at 50 connections, Pluma against its Apache namesake. bench/latency.sh's runs.tsv
# when that part ran (PARTS with latency), else the same wrk runs of the peers.sh throughput part
# (wrk -t1 -c50 --latency on the 100 B file, same configurations, same interleaved reps).
lat = tsv(P("latency", "runs.tsv"))
for mpm in ("event", "worker", "prefork"):
    _, get = peers(mpm)
    for mode in ("ka", "close"):
        t = f"Latency: p99 at 50 connections, {mpm} {'keep-alive' if mode == 'ka' else 'close'}, <= Apache's"
        if lat:
            p = med([num(r["p99_ms"]) for r in lat if (r["mpm"], r["server"], r["mode"]) == (mpm, "pluma", mode)])
            a = med([num(r["p99_ms"]) for r in lat if (r["mpm"], r["server"], r["mode"]) == (mpm, "apache", mode)])
            n = sum(1 for r in lat if (r["mpm"], r["server"], r["mode"]) == (mpm, "pluma", mode))
            src = f"latency.sh, {n} rep{'s' if n > 1 else ''}"
        else:
            c, ap = get(f"pluma-{mpm}", f"wrk-{mode}", "small"), get(f"apache-{mpm}-deb", f"wrk-{mode}", "small")
            p, a, src = c["p99"], ap["p99"], "peers.sh, 100 B"
        if good(p) and good(a) and a > 0:
            row(t, f"{p / a:.2f}x ({p:.2f} vs {a:.2f} ms; {src})", p <= a)
        else:
            row(t, "no data", None)

# ---- print
meta = open(P("meta.txt")).read().strip() if os.path.exists(P("meta.txt")) else ""
print("# Issue 16 targets\n")
for line in meta.splitlines():
    print(f"- {line}")
nrep = len(reps_seen)
print(f"- throughput and idle: medians of {nrep or '-'} interleaved rep{'' if nrep == 1 else 's'} per peers.sh run; "
      "ratios are Pluma / peer in the same run\n")
print("| target | measured | met? |")
print("|---|---|---|")
for t, m, v in rows:
    print(f"| {t} | {m} | {v} |")
met = sum(1 for r in rows if r[2] == "met"); nm = sum(1 for r in rows if r[2] == "**not met**")
print(f"\n{met} met, {nm} not met, {len(rows) - met - nm} not measured.")
if details:
    print("\n## Throughput, every cell (medians; Pluma / peer)\n")
    print("| MPM | peer | mode | file | Pluma req/s | peer req/s | ratio | per server CPU-s | p99 ms Pluma / peer | errors | reps |")
    print("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for d in details:
        print("| " + " | ".join(d) + " |")
wide = [x for x in spreads if x[5] > SPREAD_MAX]
if spreads:
    print(f"\n## Server CPU per request, rep by rep (100 B; us; {len(wide)} of {len(spreads)} cells spread over {SPREAD_MAX}x)\n")
    print("| MPM | server | mode | file | us CPU per request, rep 1 / 2 / ... | max / min |")
    print("|---|---|---|---|---|---:|")
    for x in spreads:
        flag = f"**{x[5]:.2f}x**" if x[5] > SPREAD_MAX else f"{x[5]:.2f}x"
        print(f"| {x[0]} | {x[1]} | {x[2]} | {x[3]} | {x[4]} | {flag} |")
PY
}

if [ "$TABLE_ONLY" = 1 ]; then table; exit; fi

[ -n "${PEERS:-}" ] && [ -f "$PEERS" ] || {
  echo "PEERS must name the workspace's peers.sh (see bench/README.md), e.g. PEERS=<path>/peers.sh bash bench/targets.sh" >&2; exit 2; }
PLUMA=${PLUMA_BIN:-$top/bin/pluma}
[ -x "$PLUMA" ] || { echo "no $PLUMA: build it first (make bin/pluma) or set PLUMA_BIN" >&2; exit 2; }
for t in wrk ab curl taskset python3 apache2 nginx $([[ " $PARTS " == *" start "* ]] && echo perf); do
  command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || { echo "missing tool: $t" >&2; exit 2; }
done
# peers.sh appends to its results.tsv: an earlier run's rows in OUT would mix into the medians.
[ -z "$(ls -A "$OUT" 2>/dev/null)" ] || { echo "OUT=$OUT is not empty: give a new directory" >&2; exit 2; }
mkdir -p "$OUT" || exit 2

# ------------------------------------------------------------------ running the parts
CHILD=""
descendants() { # pid -> the pid and all its descendants (ppid links), parents first
  local all todo=("$1") seen=() p c pp
  all=$(ps -e -o pid=,ppid=)
  while [ ${#todo[@]} -gt 0 ]; do
    p=${todo[0]}; todo=("${todo[@]:1}"); seen+=("$p")
    while read -r c pp; do [ "$pp" = "$p" ] && todo+=("$c"); done <<<"$all"
  done
  echo "${seen[@]}"
}
stop_tree() { # TERM a part and everything under it (servers included: some scripts setsid them), then KILL what is left
  local pids p i alive
  pids=$(descendants "$1")
  for p in $pids; do kill -TERM "$p" 2>/dev/null; done
  for i in $(seq 150); do
    alive=0; for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break; sleep 0.1
  done
  for p in $pids; do kill -KILL "$p" 2>/dev/null; done
  wait "$1" 2>/dev/null
}
on_signal() { echo "interrupted: stopping the running part" >&2; [ -n "$CHILD" ] && stop_tree "$CHILD"; exit 130; }
trap on_signal INT TERM
# The parts' own temporary trees go under one private TMPDIR (their mktemp -d honours it), so a
# part stopped before its own clean-up leaves nothing behind. 755: Apache's children (www-data)
# must reach the document roots inside it.
WORK=$(mktemp -d /tmp/targets.XXXXXX) || exit 2
chmod 755 "$WORK"
export TMPDIR=$WORK
trap 'rm -rf "$WORK"' EXIT

t_start=$SECONDS
# run NAME LOG CMD...: one part in the background (a signal then reaches the trap above at once),
# its output to LOG and, through tee, to the terminal.
run() {
  local name=$1 log=$2 t0=$SECONDS rc; shift 2
  echo "=== $name: $(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1 /proc/loadavg)"
  "$@" > >(tee -a "$log") 2>&1 &
  CHILD=$!; wait "$CHILD"; rc=$?; CHILD=""
  echo "$name: $((SECONDS - t0)) s (exit $rc)" >> "$OUT/meta.steps"
  [ "$rc" = 0 ] || echo "=== $name exited with $rc (see $log)" >&2
}
want() { [[ " $PARTS " == *" $1 "* ]]; }

commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null)
[ -n "$(git -C "$top" status --porcelain --untracked-files=no 2>/dev/null)" ] && commit="$commit (uncommitted changes)"
rm -f "$OUT/meta.steps"
load0=$(cut -d' ' -f1-3 /proc/loadavg) start_utc=$(date -u '+%Y-%m-%d %H:%M')
echo "results: $OUT"

# peers.sh takes one candidate per run, so one run per MPM; each names its own settings
# explicitly, so a REPS or MODES meant for this script does not reach the wrong tool.
peers() { # run-name mpm servers files modes phases [EnableSendfile: On, Off, or Debian's default]
  run "peers.sh $1" "$OUT/peers-$1.log" env CANDIDATE_NAME="pluma-$2" \
    CANDIDATE_CMD="env MPM=$2 SENDFILE=${7:-} bash $here/pluma-candidate.sh {port} {docroot} {ka} {tmp}" \
    SERVERS="$3" FILES="$4" MODES="$5" PHASES="$6" REPS="$REPS" IDLE_REPS="$REPS" DURATION="$DURATION" \
    WARMUP="$WARMUP" IDLE_CONNS="$IDLE_N" PLUMA_BIN="$PLUMA" OUT="$OUT/peers-$1" bash "$PEERS"
}
if want throughput; then
  peers event event "apache-event-deb nginx" "$EVENT_FILES" "$MODES" throughput On
  peers worker worker apache-worker-deb "$FILES" "$MODES" throughput
  peers prefork prefork apache-prefork-deb "$FILES" "$MODES" throughput
fi
if want idle; then
  peers idle event nginx small "wrk-ka wrk-close" "throughput idle"
fi
if want start; then
  run start-time.sh "$OUT/start-time.txt" env REPS="$START_REPS" MPMS="event worker prefork" APACHE=1 \
    PLUMA_BIN="$PLUMA" bash "$here/start-time.sh"
fi
if want memory; then
  mkdir -p "$OUT/memory"
  for i in $(seq "$MEM_REPS"); do
    run "child-memory.sh ($i of $MEM_REPS)" "$OUT/memory/child-memory-$i.txt" env MPMS="event prefork" \
      AFTER="$MEM_AFTER" PREFORK150=0 PLUMA_BIN="$PLUMA" bash "$here/child-memory.sh"
  done
  run "child-memory.sh (150 prefork children)" "$OUT/memory/child-memory-prefork150.txt" env MPMS=prefork \
    PREFORK150=1 SETTLE="$MEM150_SETTLE" AFTER="$MEM_AFTER" PLUMA_BIN="$PLUMA" bash "$here/child-memory.sh"
fi
if want latency; then
  run latency.sh "$OUT/latency.log" env MPMS="event worker prefork" MODES="ka close" REPS="$REPS" DUR="$LAT_DUR" \
    OUT="$OUT/latency" PLUMA_BIN="$PLUMA" bash "$here/latency.sh"
fi

{
  echo "run: $start_utc-$(date -u +%H:%M) UTC ($(( (SECONDS - t_start + 30) / 60 )) min), load average $load0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  echo "checkout: $commit; binary: $PLUMA"
  echo "settings: PARTS='$PARTS' REPS=$REPS DURATION=$DURATION MODES='$MODES' FILES='$FILES' EVENT_FILES='$EVENT_FILES' IDLE_N=$IDLE_N WARMUP=$WARMUP START_REPS=$START_REPS MEM_REPS=$MEM_REPS$(want latency && echo " LAT_DUR=$LAT_DUR")$([ "${QUICK:-0}" = 1 ] && echo ' (QUICK=1: a smoke run)')"
  echo "parts: $(paste -sd ';' "$OUT/meta.steps" 2>/dev/null | sed 's/;/; /g')"
  echo "raw files: $OUT"
} > "$OUT/meta.txt"
table | tee "$OUT/targets.md"
exit
}
