# The setup every HTTPS benchmark shares (tls-peers.sh, tls-cost.sh, h2-peers.sh), sourced after
# `set -u` and after $top (the checkout) is set:
#   $work          a scratch directory, removed at exit unless KEEP is set
#   $cert $key     one RSA-2048 self-signed pair, CN=localhost (the shape of Debian's snakeoil)
#   $work/docroot  small.html, a 100-byte file, and big.bin, 1 MiB
#   freeport       a free TCP port on 127.0.0.1
#   ssl_block DIR  Debian's mods-available/ssl.conf values that matter here (Apache and Pluma alike)
#   wait_https NAME DIR PORT [WANT CURL_ARGS...]   polls until the server started as $SRV_PID
#                  answers small.html over HTTPS with WANT (curl's -w output, default 200)
#   stop_server    stops $SRV_PID by its pid (TERM, then KILL of its session after 10 s)
#   session_ticks SID      user+system CPU ticks of every process in session SID
work=$(mktemp -d)
chmod 755 "$work"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

mkdir -p "$work/tls" "$work/docroot"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
  -keyout "$work/tls/server.key" -out "$work/tls/server.pem" 2>/dev/null
chmod 644 "$work/tls/server.pem"; chmod 600 "$work/tls/server.key"
head -c 100 /dev/zero | tr '\0' 'x' >"$work/docroot/small.html"
head -c 1048576 /dev/zero | tr '\0' 'x' >"$work/docroot/big.bin"
chmod -R a+rX "$work/docroot"
# shellcheck disable=SC2034 # used by the scripts that source this file
cert=$work/tls/server.pem key=$work/tls/server.key

# SSL_VARIANT=reuse: no SSLCipherSuite and SSLSessionTickets on (lifetime 7200 s) for Apache and
# Pluma alike, the one configuration where .NET's SslStream keeps one OpenSSL context per
# certificate instead of building one per handshake (it does so only with no cipher policy and
# resumption allowed; see bench/README.md). TLS_TICKETS_LINE: what the debian variant says about
# tickets (h2-peers.sh leaves Apache's default).
ssl_block() { # dir
  if [ "${SSL_VARIANT:-debian}" = reuse ]; then
    printf 'SSLSessionCacheTimeout 7200\nSSLSessionTickets on\n'
  else
    printf 'SSLSessionCacheTimeout 300\nSSLCipherSuite HIGH:!aNULL\n'
    [ -n "${TLS_TICKETS_LINE-SSLSessionTickets off}" ] && printf '%s\n' "${TLS_TICKETS_LINE-SSLSessionTickets off}"
  fi
  cat <<CONF
SSLRandomSeed startup builtin
SSLRandomSeed connect builtin
SSLSessionCache shmcb:$1/ssl_scache(512000)
SSLProtocol all -SSLv3
SSLEngine on
SSLCertificateFile "$cert"
SSLCertificateKeyFile "$key"
CONF
}

wait_https() { # name dir port [want curl-args...]
  local name=$1 dir=$2 port=$3 want=${4:-200} i
  shift 4 2>/dev/null || shift $#
  for i in $(seq 300); do
    kill -0 "$SRV_PID" 2>/dev/null || { echo "$name exited at start:" >&2; tail -5 "$dir/stdout.log" "$dir/error.log" 2>/dev/null >&2; return 1; }
    [ "$(curl -sk -o /dev/null -m 1 -w '%{http_code}' "$@" "https://127.0.0.1:$port/small.html")" = "$want" ] && return 0
    sleep 0.2
  done
  echo "$name did not answer $want over https on $port" >&2
  return 1
}

stop_server() {
  kill -TERM "$SRV_PID" 2>/dev/null
  local i
  for i in $(seq 50); do kill -0 "$SRV_PID" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL -- "-$SRV_PID" 2>/dev/null
}

session_ticks() { # sid
  local sid=$1 total=0 pid t
  for pid in $(ps -eo sid=,pid= | awk -v s="$sid" '$1==s{print $2}'); do
    t=$(awk '{print $14+$15}' "/proc/$pid/stat" 2>/dev/null) && total=$((total + t))
  done
  echo "$total"
}
