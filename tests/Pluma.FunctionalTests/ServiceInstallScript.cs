namespace Pluma.FunctionalTests;

/// <summary>
/// The shell script <see cref="ServiceInstallRun"/> runs inside one
/// <c>unshare --mount --propagation private</c>: it makes an install staged under WORK/stage appear
/// at the real paths, drives Debian's real <c>/usr/sbin/service pluma ...</c>, and prints every
/// step's output followed by <c>RESULT key=value</c> lines for the test to check.
/// </summary>
/// <remarks>
/// The staged tree is grafted with overlays whose writable layer is a tmpfs of the namespace, not
/// bind-mounted onto mount points created for the purpose: /etc/pluma, /etc/init.d/pluma,
/// /run/pluma and /run/lock/pluma then exist only inside the namespace, so even a test killed
/// half-way leaves nothing behind on the real system (an empty /etc/pluma left there would make
/// the next real <c>make install</c> keep it as "the admin's tree"). Only /var/log/pluma and
/// /run/pluma are bound onto folders of the test's, so that the error log and the pid file can be
/// read (and the server stopped by its pid) after the namespace has gone.
/// There is deliberately no PID namespace: a shell as its PID 1 does not reap the orphaned server
/// while it waits for a command, and the init script's <c>kill -0</c> loop then waits 60 seconds
/// for a zombie.
/// Arguments: WORK PORT PREFIX SSLPORT.
/// </remarks>
internal static class ServiceInstallScript
{
    public const string Text = """
        #!/bin/sh
        set -u
        T=$1 PORT=$2 PREFIX=$3 SSLPORT=$4
        STAGE=$T/stage SCRATCH=$T/scratch
        PIDFILE=/run/pluma/pluma.pid

        fail () { echo "RESULT setup=failed: $*"; exit 90; }

        case "$T/" in
        	/etc/*|/var/*|/run/*|"$PREFIX"/*) fail "the work folder $T lies under a folder this script grafts" ;;
        esac
        [ "$(id -u)" = 0 ] || fail "mounting needs root"

        # Every write below lands in this tmpfs, which dies with the namespace.
        mount -t tmpfs -o mode=755 pluma-scratch "$SCRATCH" || fail "tmpfs on $SCRATCH"

        # graft DIR [keep]: DIR becomes the staged DIR laid over the real one, writable into the
        # scratch tmpfs. "keep" re-attaches what is mounted below DIR (a container's /etc/hosts and
        # /etc/resolv.conf), which the overlay would otherwise show as the bare files underneath.
        graft () {
        	dir=$1
        	s=$SCRATCH/graft$(echo "$dir" | tr / _)
        	mkdir -p "$s/upper" "$s/work" "$s/below"
        	subs=
        	if [ "${2:-}" = keep ] ; then
        		subs=$(awk -v d="$dir/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo)
        		[ -z "$subs" ] || mount --rbind "$dir" "$s/below" || fail "rbind $dir"
        	fi
        	lower=$dir
        	[ -d "$STAGE$dir" ] && lower=$STAGE$dir:$dir
        	mount -t overlay pluma-graft -o "lowerdir=$lower,upperdir=$s/upper,workdir=$s/work" "$dir" || fail "overlay on $dir"
        	for m in $subs ; do
        		[ -e "$m" ] && mount --bind "$s/below${m#"$dir"}" "$m"
        	done
        	echo "grafted $lower on $dir"
        }
        graft /etc keep
        graft "$PREFIX"
        graft /var
        graft /run
        # service takes the init script only when systemd does not run the machine.
        if [ -d /run/systemd/system ] ; then
        	mount -t tmpfs pluma-no-systemd /run/systemd || fail "hiding /run/systemd"
        fi
        mkdir -p /run/pluma "$T/log" "$T/run" && chmod 750 "$T/log" || fail "run and log folders"
        mount --bind "$T/log" /var/log/pluma || fail "bind /var/log/pluma"
        mount --bind "$T/run" /run/pluma || fail "bind /run/pluma"

        running_pid () {
        	[ -r $PIDFILE ] && read -r p < $PIDFILE && [ -n "$p" ] && kill -0 "$p" 2> /dev/null && echo "$p"
        }

        # The server is stopped by its pid file, also when a step failed or the time ran out.
        finish () {
        	if p=$(running_pid) ; then
        		echo "=== cleanup: TERM to $p from $PIDFILE"
        		kill -TERM "$p"
        		i=0
        		while kill -0 "$p" 2> /dev/null && [ $i -lt 100 ] ; do sleep 0.1; i=$((i + 1)); done
        		if kill -0 "$p" 2> /dev/null ; then
        			echo "=== cleanup: KILL to $p"
        			kill -KILL "$p"
        		fi
        	fi
        }
        trap finish EXIT
        trap 'exit 143' TERM INT HUP

        step () {
        	name=$1
        	shift
        	echo "=== $name: $*"
        	out=$("$@" 2>&1)
        	rc=$?
        	[ -z "$out" ] || printf '%s\n' "$out"
        	echo "RESULT $name.rc=$rc"
        }

        parent () { echo "RESULT $1.parent=$(running_pid || echo none)"; }

        # The children of the pid file's process, with their real/effective/saved/fs uids and gids.
        list_children () {
        	kids=
        	for st in /proc/[0-9]*/stat ; do
        		read -r line 2> /dev/null < "$st" || continue
        		pid=${st#/proc/}
        		pid=${pid%/stat}
        		set -- ${line##*) }
        		if [ "$2" = "$p" ] && [ "$1" != Z ] ; then kids="$kids $pid"; fi
        	done
        }
        children () {
        	label=$1
        	p=$(running_pid) || { echo "RESULT $label.children=none (no parent)"; return; }
        	i=0
        	list_children
        	while [ -z "$kids" ] && [ $i -lt 100 ] ; do sleep 0.1; i=$((i + 1)); list_children; done
        	# Let the rest of StartServers come up.
        	sleep 0.5
        	list_children
        	echo "RESULT $label.children=${kids# }"
        	for c in $kids ; do
        		uid=$(awk '/^Uid:/ { print $2 "/" $3 "/" $4 "/" $5 }' /proc/$c/status 2> /dev/null)
        		gid=$(awk '/^Gid:/ { print $2 "/" $3 "/" $4 "/" $5 }' /proc/$c/status 2> /dev/null)
        		echo "RESULT $label.child=$c uid=$uid gid=$gid"
        	done
        }

        get () {
        	rm -f "$T/body"
        	echo "RESULT $1.get=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 10 "http://127.0.0.1:$PORT/")"
        	echo "RESULT $1.title=$(grep -o '<title>[^<]*</title>' "$T/body" 2> /dev/null)"
        }

        echo "RESULT www-data=$(id -u www-data)/$(id -g www-data)"
        step start service pluma start
        step status service pluma status
        parent start
        children start
        get start
        step reload service pluma reload
        # A graceful restart keeps the parent; give the new generation's children a moment.
        sleep 1
        parent reload
        get reload
        step restart service pluma restart
        parent restart
        children restart
        get restart

        # Issue 12: Debian's steps to https on the installed tree, with default-ssl.conf as installed
        # and the ssl-cert package's snakeoil pair, made afresh here (the overlay on /etc keeps the
        # machine's /etc/ssl as it is).
        step snakeoil make-ssl-cert generate-default-snakeoil --force-overwrite
        step a2enmod "$PREFIX/sbin/a2enmod" ssl
        step a2ensite "$PREFIX/sbin/a2ensite" default-ssl
        step sslrestart service pluma restart
        parent sslrestart
        children sslrestart
        CERT=/etc/ssl/certs/ssl-cert-snakeoil.pem KEY=/etc/ssl/private/ssl-cert-snakeoil.key
        NAME=$(openssl x509 -in $CERT -noout -subject -nameopt sep_multiline | sed -n 's/^ *CN=//p')
        echo "RESULT snakeoil.name=$NAME"
        echo "RESULT snakeoil.key=$(stat -c %a:%U:%G $KEY)"
        setpriv --reuid=www-data --regid=www-data --init-groups cat $KEY > /dev/null 2>&1
        echo "RESULT snakeoil.www-data-reads-key=$?"
        rm -f "$T/body"
        echo "RESULT https.get=$(curl -s -o "$T/body" -w '%{http_code} %{ssl_verify_result} %{scheme}' --max-time 10 --cacert $CERT --resolve "$NAME:$SSLPORT:127.0.0.1" "https://$NAME:$SSLPORT/")"
        echo "RESULT https.title=$(grep -o '<title>[^<]*</title>' "$T/body" 2> /dev/null)"
        get sslrestart
        step stop service pluma stop
        parent stop
        step stopped service pluma status
        echo "RESULT done=yes"
        """;
}
