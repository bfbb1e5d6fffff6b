#!/usr/bin/env bash
# Runs every test suite against the freshly built bin/pluma and prints the totals
# over all suites as the last line: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
# Prerequisites first: name what is missing and the one line that installs it.
missing=()
command -v dotnet >/dev/null || missing+=("dotnet (the .NET 10 SDK)")
for tool in /usr/sbin/apache2 /usr/bin/ab /usr/bin/curl /usr/bin/wrk /usr/bin/chromium /usr/bin/gcc \
  /usr/sbin/php-fpm8.2 /usr/sbin/haproxy /usr/bin/openssl /usr/sbin/make-ssl-cert /usr/bin/h2load /usr/bin/nghttp; do
  [ -x "$tool" ] || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "make test needs: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y --no-install-recommends apache2 apache2-utils curl wrk chromium gcc make php8.2-fpm haproxy openssl ssl-cert nghttp2-client" >&2
  echo "(bash .ci/run does it, with a policy-rc.d that keeps apache2 from starting as a service)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# Debian's apache2 package file: the tests unpack their Debian tree from it, never from this
# machine's /etc/apache2 (tests/Pluma.Testing/DebianApacheTree.cs).
if ! ls .tools/debs/apache2_*.deb >/dev/null 2>&1; then
  mkdir -p .tools/debs
  if ! (cd .tools/debs && apt-get download apache2 >/dev/null 2>&1); then
    echo "make test needs Debian's apache2 package file in .tools/debs; fetch it with: (mkdir -p .tools/debs && cd .tools/debs && apt-get download apache2)" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

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
