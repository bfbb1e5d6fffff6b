#!/usr/bin/env bash
# testssl.sh against Debian's apache2 and Pluma on the same configuration, in one run: Debian's
# tree as a fresh install of the apache2 package leaves it, unpacked from the package file (the
# git-ignored .tools/debs/, fetched with `apt-get download apache2` when missing, as
# tests/Pluma.Testing/DebianApacheTree.cs does; never the machine's /etc/apache2), copied once per
# server, with the package's own `a2enmod ssl` and `a2ensite default-ssl`, the ssl-cert package's snakeoil pair
# (or, without it, a generated RSA-2048 pair of the same shape), each server on 127.0.0.1 and
# free ports. Prints the counts of findings by severity for each, then the findings Pluma has and
# Apache does not (same id, same finding text), which is what issue 12 asks to be empty.
#
#   bash bench/testssl-compare.sh                # full testssl run on each (a few minutes)
#   TESTSSL_ARGS="--protocols --std --server-defaults --headers --vulnerable" bash bench/testssl-compare.sh
#
# Needs root (the snakeoil key, children as www-data), apache2, testssl.sh (Debian's package:
# apt-get install -y testssl.sh), curl, python3, and bin/pluma built in this checkout (make;
# PLUMA=/path/to/pluma tests another build).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
testssl_args=${TESTSSL_ARGS:-}
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do
    # Only our own servers: the pid must still be the process we started.
    if [ -r "/proc/$p/cmdline" ] && tr '\0' ' ' <"/proc/$p/cmdline" | grep -q -- "$work"; then kill "$p" 2>/dev/null; fi
  done
  sleep 1
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
for tool in testssl curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y testssl.sh curl python3" >&2; exit 1; }
done
[ -x /usr/sbin/apache2 ] || { echo "Debian's apache2 is missing: apt-get install -y apache2" >&2; exit 1; }
pluma=${PLUMA:-$top/bin/pluma}
[ -x "$pluma" ] || { echo "$pluma is missing: make" >&2; exit 1; }

freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

cert=/etc/ssl/certs/ssl-cert-snakeoil.pem key=/etc/ssl/private/ssl-cert-snakeoil.key
if [ ! -r "$cert" ] || [ ! -r "$key" ]; then
  mkdir -p "$work/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
    -keyout "$work/tls/snakeoil.key" -out "$work/tls/snakeoil.pem" 2>/dev/null
  chmod 600 "$work/tls/snakeoil.key"
  cert=$work/tls/snakeoil.pem key=$work/tls/snakeoil.key
fi

# Debian's tree as the apache2 package's postinst leaves it on a fresh install
# (enable_default_mpm, enable_default_modules, enable_default_conf, install_default_site), built
# with the package's own tools from the unpacked package file.
deb=$(ls "$top"/.tools/debs/apache2_*.deb 2>/dev/null | sort | tail -n 1)
if [ -z "$deb" ]; then
  mkdir -p "$top/.tools/debs"
  (cd "$top/.tools/debs" && apt-get download apache2) >&2 || { echo "cannot fetch Debian's apache2 package file into .tools/debs" >&2; exit 1; }
  deb=$(ls "$top"/.tools/debs/apache2_*.deb | sort | tail -n 1)
fi
pkg=$work/package
dpkg-deb -x "$deb" "$pkg" || { echo "dpkg-deb -x $deb failed" >&2; exit 1; }
debian_tool() { # conf-dir state-dir tool args...
  env APACHE_CONFDIR="$1" APACHE_STATE_DIRECTORY="$2" "$pkg/usr/sbin/$3" "${@:4}" >/dev/null
}
mkdir -p "$pkg/var/lib/apache2"
debian_tool "$pkg/etc/apache2" "$pkg/var/lib/apache2" a2enmod -m -q mpm_event
debian_tool "$pkg/etc/apache2" "$pkg/var/lib/apache2" a2enmod -m -q authz_host auth_basic access_compat authn_file authz_user \
  alias dir autoindex env mime negotiation setenvif filter deflate status reqtimeout
debian_tool "$pkg/etc/apache2" "$pkg/var/lib/apache2" a2enconf -m -q charset localized-error-pages other-vhosts-access-log security serve-cgi-bin
debian_tool "$pkg/etc/apache2" "$pkg/var/lib/apache2" a2ensite -q 000-default

# One copy of that tree per server: the admin's `a2enmod ssl` and `a2ensite default-ssl`, then
# both ports made free loopback ones and the certificate pair put in (the same for both servers).
tree() { # name http-port https-port
  local t=$work/$1 http=$2 https=$3
  mkdir -p "$t/run" "$t/log" "$t/lock" "$t/state"
  cp -a "$pkg/etc/apache2" "$t/apache2"
  local c=$t/apache2
  debian_tool "$c" "$t/state" a2enmod -q ssl
  debian_tool "$c" "$t/state" a2ensite -q default-ssl
  sed -i -e "s/^Listen 80\$/Listen 127.0.0.1:$http/" -e "s/^\(\s*\)Listen 443\$/\1Listen 127.0.0.1:$https/" "$c/ports.conf"
  sed -i "s/<VirtualHost \*:80>/<VirtualHost *:$http>/" "$c/sites-available/000-default.conf"
  sed -i -e "s/<VirtualHost \*:443>/<VirtualHost *:$https>/" \
    -e "s#/etc/ssl/certs/ssl-cert-snakeoil.pem#$cert#" -e "s#/etc/ssl/private/ssl-cert-snakeoil.key#$key#" \
    "$c/sites-available/default-ssl.conf"
}

run_env() { # name; exec, so that the pid the caller keeps is the server's own (cleanup stops it)
  exec env APACHE_CONFDIR="$work/$1/apache2" APACHE_RUN_USER=www-data APACHE_RUN_GROUP=www-data \
    APACHE_PID_FILE="$work/$1/run/server.pid" APACHE_RUN_DIR="$work/$1/run" APACHE_LOCK_DIR="$work/$1/lock" \
    APACHE_LOG_DIR="$work/$1/log" PLUMA_STATE_DIR="$work/$1/state" LANG=C "${@:2}"
}

wait_up() { # port
  for _ in $(seq 1 150); do curl -sk -o /dev/null --max-time 1 "https://127.0.0.1:$1/" && return 0; sleep 0.1; done
  return 1
}

a_http=$(freeport) a_https=$(freeport) p_http=$(freeport) p_https=$(freeport)
tree apache "$a_http" "$a_https"
tree pluma "$p_http" "$p_https"
run_env apache /usr/sbin/apache2 -d "$work/apache/apache2" -D FOREGROUND >"$work/apache/out.log" 2>&1 &
pids+=($!)
run_env pluma "$pluma" -d "$work/pluma/apache2" -D FOREGROUND >"$work/pluma/out.log" 2>&1 &
pids+=($!)
wait_up "$a_https" || { echo "apache2 did not start:" >&2; cat "$work/apache/out.log" "$work/apache/log/error.log" >&2; exit 1; }
wait_up "$p_https" || { echo "pluma did not start:" >&2; cat "$work/pluma/out.log" "$work/pluma/log/error.log" >&2; exit 1; }

for s in apache pluma; do
  port=$a_https; [ $s = pluma ] && port=$p_https
  echo "testssl on $s (127.0.0.1:$port) ..." >&2
  # shellcheck disable=SC2086
  testssl --quiet --color 0 --warnings off --ip one --sneaky $testssl_args \
    --jsonfile "$work/$s.json" "127.0.0.1:$port" >"$work/$s.txt" 2>&1
done

python3 - "$work/apache.json" "$work/pluma.json" <<'PY'
import json, sys, collections
def load(p):
    with open(p) as f:
        return [x for x in json.load(f) if x.get("severity") not in ("DEBUG",)]
a, p = load(sys.argv[1]), load(sys.argv[2])
bad = ("LOW", "MEDIUM", "HIGH", "CRITICAL", "WARN")
for name, rows in (("apache", a), ("pluma", p)):
    c = collections.Counter(x["severity"] for x in rows)
    print(f"{name:7} " + " ".join(f"{s}={c.get(s, 0)}" for s in ("OK", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL", "WARN")))
# Values that differ by nature between two runs or two servers are not findings.
volatile = {"service", "banner_server", "banner_application", "banner_reverseproxy", "HTTP_clock_skew", "HTTP_headerTime",
            "cert_notBefore", "cert_notAfter", "cert_validityPeriod", "scanTime", "engine_problem", "TLS_timestamp",
            "HTTP_status_code", "cookie_count", "HTTP_headers"}
seen = {(x["id"], x["finding"]) for x in a}
extra = [x for x in p if x["severity"] in bad and x["id"] not in volatile and (x["id"], x["finding"]) not in seen]
print(f"findings (LOW and above, WARN) on pluma, not on apache: {len(extra)}")
for x in extra:
    other = [y["finding"] for y in a if y["id"] == x["id"]]
    print(f"  {x['severity']:8} {x['id']}: {x['finding']}" + (f"   [apache: {other[0]}]" if other else ""))
# Where the two differ in what they do rather than in how severe it is (informational).
watch = ("sessionresumption_ID", "sessionresumption_ticket", "TLS_session_ticket", "TLS_extensions", "cipher_order", "LOGJAM-common_primes")
fa, fp = {x["id"]: x["finding"] for x in a}, {x["id"]: x["finding"] for x in p}
print("informational differences:")
for k in watch:
    if fa.get(k) != fp.get(k):
        print(f"  {k}: apache: {fa.get(k, '-')}  |  pluma: {fp.get(k, '-')}")
sys.exit(1 if extra else 0)
PY
