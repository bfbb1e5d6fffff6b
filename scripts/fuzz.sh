#!/usr/bin/env bash
# Bounded fuzzing of Pluma's hostile-input parsers with AFL++ and SharpFuzz (fuzz/Pluma.Fuzz).
#
#   scripts/fuzz.sh                      every target, FUZZ_SECONDS (default 60) each
#   FUZZ_SECONDS=600 scripts/fuzz.sh url-path chunked-body
#
# Installs nothing: it needs afl-fuzz (Debian's afl++) and the sharpfuzz instrumentation tool
# (SharpFuzz.CommandLine, in <repo>/.tools or on PATH) and says how to get them if missing.
# Builds the harness, instruments the Pluma assemblies it drives, runs the targets one after
# another (never in parallel: one core each would starve the machine) and exits 1 if any
# crash or hang was found, printing each such input in hex and what it threw. Findings are
# kept under artifacts/fuzz/out/TARGET; copy a crash into fuzz/crashes/TARGET/ once fixed, so
# tests/Pluma.Fuzz.Tests replays it for good.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${FUZZ_SECONDS:-60}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(request-parser chunked-body url-path config-reader)

if ! command -v afl-fuzz >/dev/null; then
  echo "fuzz.sh: afl-fuzz not found; install it with: apt-get install -y afl++" >&2
  exit 2
fi
sharpfuzz="$root/.tools/sharpfuzz"
[ -x "$sharpfuzz" ] || sharpfuzz=$(command -v sharpfuzz || true)
if [ -z "$sharpfuzz" ]; then
  echo "fuzz.sh: sharpfuzz not found; install it with: dotnet tool install --tool-path .tools SharpFuzz.CommandLine --version 2.3.0" >&2
  exit 2
fi

bin="$root/artifacts/fuzz/bin"
replay="$root/artifacts/fuzz/replay"
# A fresh publish each time: sharpfuzz instruments in place and refuses to do it twice.
rm -rf "$bin" "$replay"
dotnet publish fuzz/Pluma.Fuzz/Pluma.Fuzz.csproj -c Release -o "$bin" --nologo -v quiet
# Instrumented code writes to AFL's shared memory: outside afl-fuzz only the plain copy runs.
cp -r "$bin" "$replay"
# Only Pluma's own assemblies carry coverage; the harness, SharpFuzz and the BCL do not.
for dll in Pluma.Connections Pluma.Http Pluma.Config Pluma.Modules; do
  "$sharpfuzz" "$bin/$dll.dll" >/dev/null
done

# AFL++ in a container: no CPU governor to check, no core to pin (the machine is shared), no
# terminal UI, and the kernel's core_pattern is not ours to change.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
# The fuzzed program is `dotnet`, which carries no AFL instrumentation of its own.
export AFL_SKIP_BIN_CHECK=1

stat() { sed -n "s/^$2 *: *//p" "$1" | head -n 1; }

found=0
for t in "${targets[@]}"; do
  out="$root/artifacts/fuzz/out/$t"
  rm -rf "$out"
  mkdir -p "$out"
  echo "fuzz.sh: $t for ${seconds}s"
  # -V bounds the run; timeout(1) bounds afl-fuzz itself should it ever stop honouring -V.
  status=0
  timeout --kill-after=30 $((seconds + 120)) \
    afl-fuzz -V "$seconds" -i "fuzz/corpus/$t" -o "$out" -t 5000 -m none \
    -- dotnet "$bin/Pluma.Fuzz.dll" "$t" >"$out/afl.log" 2>&1 || status=$?
  s="$out/default/fuzzer_stats"
  if [ ! -f "$s" ]; then
    echo "fuzz.sh: $t: afl-fuzz did not start (exit $status); its last words:" >&2
    tail -n 25 "$out/afl.log" >&2
    found=1
    continue
  fi
  echo "fuzz.sh: $t: $(stat "$s" execs_done) execs, $(stat "$s" execs_per_sec)/s," \
    "$(stat "$s" corpus_count) paths, $(stat "$s" saved_crashes) crashes, $(stat "$s" saved_hangs) hangs"
  for f in "$out"/default/crashes/id:* "$out"/default/hangs/id:*; do
    [ -f "$f" ] || continue
    found=1
    echo "fuzz.sh: $t: ${f#"$root"/}"
    od -An -tx1 -v "$f" | head -n 64
    timeout 60 dotnet "$replay/Pluma.Fuzz.dll" "$t" "$f" 2>&1 | head -n 20 || true
  done
done

if [ "$found" -ne 0 ]; then
  echo "fuzz.sh: findings above (inputs kept under artifacts/fuzz/out)" >&2
  exit 1
fi
echo "fuzz.sh: no crash or hang in ${#targets[@]} target(s), ${seconds}s each"
