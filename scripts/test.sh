#!/usr/bin/env bash
# Runs every test suite against the freshly built bin/pluma and prints the totals
# over all suites as the last line: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

status=0
dotnet test Pluma.slnx -c Release --nologo \
  --logger "trx" --results-directory "$out" \
  -- RunConfiguration.TreatNoTestsAsError=false 2>&1 | tee "$out/console.log" || status=$?

# Count outcomes from the result files, so a crashed suite still counts what it ran.
passed=0; failed=0
for f in "$out"/*.trx; do
  [ -f "$f" ] || continue
  # Only test results: the run's ResultSummary carries an outcome attribute too.
  p=$(grep -o '<UnitTestResult [^>]*outcome="Passed"' "$f" | wc -l)
  x=$(grep -o '<UnitTestResult [^>]*outcome="Failed"' "$f" | wc -l)
  passed=$((passed + p)); failed=$((failed + x))
done
# A suite that did not even build or start counts as one failure.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
