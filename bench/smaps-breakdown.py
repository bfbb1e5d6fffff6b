#!/usr/bin/env python3
"""Groups one process's /proc/PID/smaps by what a mapping is and prints Pss, Private_Dirty and
Rss per group (kB), largest Pss first: where a child's private pages are. Usage: smaps-breakdown.py PID"""
import re
import sys

pid = sys.argv[1]
groups = {}
cur = None
with open(f"/proc/{pid}/smaps") as f:
    for line in f:
        m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$", line)
        if m:
            start, end, perms, name = int(m.group(1), 16), int(m.group(2), 16), m.group(3), m.group(4).strip()
            size = (end - start) // 1024
            if name == "":
                # Anonymous: a thread stack is a small rw- mapping right after a ---p guard page;
                # the GC's regions are large reservations committed piecemeal.
                kind = "anon " + perms
            elif name.startswith("["):
                kind = name
            else:
                kind = name.split("/")[-1] + " " + perms
            cur = groups.setdefault(kind, {"Pss": 0, "Private_Dirty": 0, "Rss": 0, "Size": 0, "n": 0})
            cur["Size"] += size
            cur["n"] += 1
            continue
        k, _, v = line.partition(":")
        if cur is not None and k in ("Pss", "Private_Dirty", "Rss"):
            cur[k] += int(v.split()[0])
tot = {k: sum(g[k] for g in groups.values()) for k in ("Pss", "Private_Dirty", "Rss", "Size")}
print(f"{'mapping':40} {'n':>5} {'Size':>10} {'Rss':>8} {'Pss':>8} {'PrivDirty':>9}")
for kind, g in sorted(groups.items(), key=lambda kv: -kv[1]["Pss"]):
    if g["Rss"] == 0:
        continue
    print(f"{kind[:40]:40} {g['n']:5} {g['Size']:10} {g['Rss']:8} {g['Pss']:8} {g['Private_Dirty']:9}")
print(f"{'total':40} {'':5} {tot['Size']:10} {tot['Rss']:8} {tot['Pss']:8} {tot['Private_Dirty']:9}")
