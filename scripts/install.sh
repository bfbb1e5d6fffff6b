#!/bin/sh
# Installs a built Pluma the way Debian lays out apache2:
#   $PREFIX/sbin/pluma (+ apachectl, a2enmod, ... as links to it)
#   /etc/pluma (the repository's conf/ with Debian's run-time paths), /etc/init.d/pluma,
#   the systemd unit, /etc/logrotate.d/pluma, /var/log/pluma, /var/lib/pluma, /var/www/html/index.html
# Usage: [DESTDIR=/tmp/stage] [PREFIX=/usr/local] [PORT=80] [SSL_PORT=443] [LISTEN=ADDR:PORT]
#        [SSL_LISTEN=ADDR:PORT] [PLUMA_BINARY=bin/pluma] scripts/install.sh
# PORT and SSL_PORT listen on every address, as Debian's ports.conf does. LISTEN (and SSL_LISTEN)
# take anything Apache's Listen takes instead, e.g. LISTEN=127.0.0.1:18080 gives "Listen
# 127.0.0.1:18080" and "<VirtualHost *:18080>"; they win over PORT and SSL_PORT.
# With DESTDIR set everything goes under it and the running system is left alone (no chown to
# system users, no systemctl, no update-rc.d). An existing /etc/pluma is kept: it holds the
# admin's edits and a2enmod's choices.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
PORT=${PORT:-80}
SSL_PORT=${SSL_PORT:-443}
LISTEN=${LISTEN:-$PORT}
SSL_LISTEN=${SSL_LISTEN:-$SSL_PORT}
TOOLS="apachectl apache2ctl a2enmod a2dismod a2ensite a2dissite a2enconf a2disconf a2query"

sbindir=$PREFIX/sbin
# systemd reads units from /usr/lib and /usr/local/lib; any other prefix uses the admin's /etc.
case "$PREFIX" in
	/usr|/usr/local) unitdir=$PREFIX/lib/systemd/system ;;
	*) unitdir=/etc/systemd/system ;;
esac

# PLUMA_BINARY installs another build (tests use a stand-in).
binary=${PLUMA_BINARY:-$top/bin/pluma}

# The port a <VirtualHost *:PORT> needs is what follows the last colon of a Listen argument
# ("8080", "127.0.0.1:8080", "[::1]:8080").
listen_port () {
	port=${1##*:}
	case "$port" in
		''|*[!0-9]*) echo "install.sh: '$1' is not a Listen address (PORT, ADDR:PORT or [ADDR]:PORT)" >&2; exit 1 ;;
	esac
	echo "$port"
}
vhost_port=$(listen_port "$LISTEN")
ssl_vhost_port=$(listen_port "$SSL_LISTEN")

if [ ! -x "$binary" ] ; then
	echo "install.sh: $binary is missing; run 'make' first" >&2
	exit 1
fi

as_root=false
[ "$(id -u)" = 0 ] && [ -z "$DESTDIR" ] && as_root=true

say () { echo "install.sh: $*"; }

subst () { sed -e "s|@SBINDIR@|$sbindir|g" "$1"; }

# The binary and the tool names (multi-call by argv[0]).
install -d "$DESTDIR$sbindir"
install -m 755 "$binary" "$DESTDIR$sbindir/pluma"
for t in $TOOLS ; do
	ln -sfn pluma "$DESTDIR$sbindir/$t"
done
say "installed $sbindir/pluma and $TOOLS"

# The configuration tree.
etc=$DESTDIR/etc/pluma
fresh_tree=false
if [ -e "$etc" ] ; then
	say "keeping the existing /etc/pluma"
else
	fresh_tree=true
	install -d "$DESTDIR/etc"
	stage=$(mktemp -d "$DESTDIR/etc/.pluma.XXXXXX")
	cp -a "$top/conf/." "$stage/"
	chmod 755 "$stage"

	# Debian's run-time paths instead of the checkout's.
	cat > "$stage/envvars" <<'ENVVARS'
# envvars - environment for pluma and apachectl (sourced by apachectl and the init script)

# Wrong once the server has changed its user.
unset HOME

# A second instance lives in /etc/pluma-NAME and keeps its run-time files apart.
if [ "${APACHE_CONFDIR##/etc/pluma-}" != "${APACHE_CONFDIR}" ] ; then
	SUFFIX="-${APACHE_CONFDIR##/etc/pluma-}"
else
	SUFFIX=
fi

export APACHE_RUN_USER=www-data
export APACHE_RUN_GROUP=www-data
export APACHE_PID_FILE=/var/run/pluma$SUFFIX/pluma.pid
export APACHE_RUN_DIR=/var/run/pluma$SUFFIX
export APACHE_LOCK_DIR=/var/lock/pluma$SUFFIX
# /etc/logrotate.d/pluma rotates /var/log/pluma only.
export APACHE_LOG_DIR=/var/log/pluma$SUFFIX
# The folder the default site and the icons are served from.
export PLUMA_WWW=/var/www

export LANG=C
export LANG

## The page 'apachectl status' prints (Pluma fetches it itself unless APACHE_LYNX is set).
#export APACHE_STATUSURL='http://localhost:80/server-status'
#export APACHE_LYNX='www-browser -dump'

## A higher descriptor limit for the server (default when started as root: ulimit -n 8192).
#APACHE_ULIMIT_MAX_FILES='ulimit -n 65536'

## Extra arguments for pluma.
#export APACHE_ARGUMENTS=''
ENVVARS

	# Debian's listeners (all addresses, port 80 and 443) instead of the checkout's loopback 8080,
	# unless LISTEN / SSL_LISTEN name others.
	sed -i -e "s|^Listen 127\.0\.0\.1:8080\$|Listen $LISTEN|" \
		-e "s|Listen 127\.0\.0\.1:8443\$|Listen $SSL_LISTEN|" "$stage/ports.conf"
	sed -i -e "s|<VirtualHost \*:8080>|<VirtualHost *:$vhost_port>|" \
		-e 's|DocumentRoot \${PLUMA_WWW}/html|DocumentRoot /var/www/html|' "$stage/sites-available/000-default.conf"
	sed -i -e "s|<VirtualHost \*:443>|<VirtualHost *:$ssl_vhost_port>|" "$stage/sites-available/default-ssl.conf"
	mv "$stage" "$etc"
	say "installed /etc/pluma"
fi

# State markers: what the package enabled, as Debian's maintainer scripts record it (a2query
# then says "enabled by maintainer script").
state=$DESTDIR/var/lib/pluma
install -d "$state"
if $fresh_tree ; then
	for kind in module:mods:load site:sites:conf conf:conf:conf ; do
		obj=${kind%%:*}; rest=${kind#*:}; dir=${rest%%:*}; ext=${rest#*:}
		install -d "$state/$obj/enabled_by_maint"
		for link in "$etc/$dir-enabled/"*."$ext" ; do
			[ -e "$link" ] || continue
			name=${link##*/}
			: > "$state/$obj/enabled_by_maint/${name%.$ext}"
		done
	done
fi

# Service integration.
install -d "$DESTDIR/etc/init.d" "$DESTDIR$unitdir" "$DESTDIR/etc/logrotate.d"
subst "$top/dist/pluma.init" > "$DESTDIR/etc/init.d/pluma"
chmod 755 "$DESTDIR/etc/init.d/pluma"
subst "$top/dist/pluma.service" > "$DESTDIR$unitdir/pluma.service"
chmod 644 "$DESTDIR$unitdir/pluma.service"
subst "$top/dist/pluma.logrotate" > "$DESTDIR/etc/logrotate.d/pluma"
chmod 644 "$DESTDIR/etc/logrotate.d/pluma"
say "installed /etc/init.d/pluma, $unitdir/pluma.service, /etc/logrotate.d/pluma"

# Logs: root:adm 0750 as Debian's /var/log/apache2.
install -d -m 750 "$DESTDIR/var/log/pluma"
if $as_root && getent group adm > /dev/null 2>&1 ; then
	chown root:adm "$DESTDIR/var/log/pluma"
fi

# The default page, unless the machine already serves one (Apache's, say).
install -d "$DESTDIR/var/www/html"
if [ ! -e "$DESTDIR/var/www/html/index.html" ] ; then
	install -m 644 "$top/www/html/index.html" "$DESTDIR/var/www/html/index.html"
	say "installed /var/www/html/index.html"
fi

if $as_root ; then
	if [ -d /run/systemd/system ] && command -v systemctl > /dev/null 2>&1 ; then
		systemctl daemon-reload
		systemctl enable pluma.service
		say "start it with: systemctl start pluma"
	else
		if command -v update-rc.d > /dev/null 2>&1 ; then
			update-rc.d pluma defaults
		fi
		say "start it with: service pluma start"
	fi
fi
