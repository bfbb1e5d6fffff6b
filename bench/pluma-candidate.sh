#!/usr/bin/env bash
# Starts bin/pluma as the candidate of the workspace's peers.sh benchmark harness, with exactly
# the configuration the harness gives Apache (its write_apache_conf): Debian's apache2.conf
# values, Debian's mods-available/mpm_*.conf block, only mpm, authz_core, mime and dir loaded,
# no access log. EnableSendfile is Debian's default (not set: Off, files are read and sent) unless
# SENDFILE=On or Off says it: targets.sh gives the event run SENDFILE=On, whose 1 MiB rows are
# against nginx's `sendfile on`; the worker and prefork runs keep Apache's settings.
#
#   CANDIDATE_NAME=pluma-event \
#   CANDIDATE_CMD="env MPM=event bash $PWD/bench/pluma-candidate.sh {port} {docroot} {ka} {tmp}" \
#   SERVERS="apache-event-deb nginx" bash peers.sh
set -euo pipefail
port=$1 docroot=$2 ka=$3 tmp=$4
mpm=${MPM:-event}
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$ka" = 0 ] && ka=5
if [ "$mpm" = prefork ]; then
  block=$'StartServers 5\nMinSpareServers 5\nMaxSpareServers 10\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0'
else
  block=$'StartServers 2\nMinSpareThreads 25\nMaxSpareThreads 75\nThreadLimit 64\nThreadsPerChild 25\nMaxRequestWorkers 150\nMaxConnectionsPerChild 0'
fi
sendfile=""
[ -n "${SENDFILE:-}" ] && sendfile="EnableSendfile $SENDFILE"
# MPM_BLOCK replaces the MPM block (bench/child-memory.sh's 150 prefork children).
[ -n "${MPM_BLOCK:-}" ] && block=$MPM_BLOCK
# As root the children must switch to a user, as Apache's do (Pluma fails closed without one).
user=""
[ "$(id -u)" = 0 ] && user=$'User www-data\nGroup www-data'
cat > "$tmp/pluma.conf" <<CONF
ServerRoot "$tmp"
DefaultRuntimeDir "$tmp"
PidFile "$tmp/pluma.pid"
ServerName 127.0.0.1
$user
Listen 127.0.0.1:$port
LoadModule mpm_${mpm}_module modules/mod_mpm_${mpm}.so
LoadModule authz_core_module modules/mod_authz_core.so
LoadModule mime_module modules/mod_mime.so
LoadModule dir_module modules/mod_dir.so
Timeout 300
KeepAlive On
MaxKeepAliveRequests 100
KeepAliveTimeout $ka
HostnameLookups Off
ErrorLog "$tmp/error.log"
LogLevel warn
TypesConfig "$top/conf/mime.types"
DocumentRoot "$docroot"
<Directory />
  Options FollowSymLinks
  AllowOverride None
  Require all denied
</Directory>
<Directory "$docroot">
  Options Indexes FollowSymLinks
  AllowOverride None
  Require all granted
</Directory>
DirectoryIndex index.html
$sendfile
$block
CONF
# CONF_ONLY=1: write the configuration and stop (bench/start-time.sh times bin/pluma alone).
[ "${CONF_ONLY:-0}" = 1 ] && exit 0
# APACHE_RUN_DIR set: do not source the bundled tree's envvars.
export APACHE_RUN_DIR="$tmp"
# PLUMA_BIN: another build to compare (default: this checkout's bin/pluma).
exec "${PLUMA_BIN:-$top/bin/pluma}" -d "$tmp" -f "$tmp/pluma.conf" -D FOREGROUND
