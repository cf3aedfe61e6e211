#!/bin/sh
# Installs what the tests need from Debian when it is missing: chromium and a PostgreSQL server.
set -e
need=""
[ -x /usr/bin/chromium ] || need="$need chromium"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
[ -n "$need" ] || exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "installing from Debian:$need"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need fonts-dejavu-core >/dev/null
