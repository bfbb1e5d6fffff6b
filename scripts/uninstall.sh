#!/bin/sh
# Removes what scripts/install.sh installed, with the same DESTDIR and PREFIX. The configuration
# (/etc/pluma), state (/var/lib/pluma) and logs (/var/log/pluma) stay, as "apt remove" keeps them;
# PURGE=1 removes them too ("apt purge"). /var/www is never removed: it holds the admin's site.
# Usage: [DESTDIR=/tmp/stage] [PREFIX=/usr/local] [PURGE=1] scripts/uninstall.sh
set -eu

DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
PURGE=${PURGE:-}
TOOLS="apachectl apache2ctl a2enmod a2dismod a2ensite a2dissite a2enconf a2disconf a2query"
sbindir=$PREFIX/sbin
case "$PREFIX" in
	/usr|/usr/local) unitdir=$PREFIX/lib/systemd/system ;;
	*) unitdir=/etc/systemd/system ;;
esac

say () { echo "uninstall.sh: $*"; }

# Stop and deregister the service first, while its scripts still exist.
if [ "$(id -u)" = 0 ] && [ -z "$DESTDIR" ] ; then
	if [ -d /run/systemd/system ] && command -v systemctl > /dev/null 2>&1 ; then
		systemctl stop pluma.service 2> /dev/null || true
		systemctl disable pluma.service 2> /dev/null || true
	elif [ -x /etc/init.d/pluma ] ; then
		/etc/init.d/pluma stop || true
		if command -v update-rc.d > /dev/null 2>&1 ; then
			update-rc.d -f pluma remove || true
		fi
	fi
fi

for t in $TOOLS ; do
	# Only our own links: a real apachectl of another package stays.
	if [ -L "$DESTDIR$sbindir/$t" ] && [ "$(readlink "$DESTDIR$sbindir/$t")" = pluma ] ; then
		rm -f "$DESTDIR$sbindir/$t"
	fi
done
rm -f "$DESTDIR$sbindir/pluma" "$DESTDIR/etc/init.d/pluma" "$DESTDIR$unitdir/pluma.service" "$DESTDIR/etc/logrotate.d/pluma"
say "removed $sbindir/pluma, its tool links and the service files"

if [ "$(id -u)" = 0 ] && [ -z "$DESTDIR" ] && [ -d /run/systemd/system ] && command -v systemctl > /dev/null 2>&1 ; then
	systemctl daemon-reload
fi

if [ -n "$PURGE" ] ; then
	rm -rf "$DESTDIR/etc/pluma" "$DESTDIR/var/lib/pluma" "$DESTDIR/var/log/pluma"
	say "purged /etc/pluma, /var/lib/pluma and /var/log/pluma"
else
	say "kept /etc/pluma, /var/lib/pluma and /var/log/pluma (PURGE=1 removes them)"
fi
