#!/bin/sh
# Installs what the tests need from Debian when it is missing: chromium, a PostgreSQL server and JupyterHub's
# configurable-http-proxy (and any package
# named as an argument, e.g. python3-venv when Python has no ensurepip); with --build, the C compiler and Python
# headers (and GMP, libgmp-dev) that compile the optional counting core.
set -e
need="$*"
if [ "$1" = "--build" ]; then
# what `pip install` needs to compile pbtools' counting core (setup.py); without it the Python engine counts alone
need=""
command -v gcc >/dev/null 2>&1 || need="$need gcc"
"${PY:-python3}" -c "import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))" 2>/dev/null || need="$need python3-dev"
# GMP's headers and library: the exact MES engine's rationals (without them only that extension is skipped)
# (Debian puts gmp.h under /usr/include/<triplet>/: either place will do; ls of both failed when one was missing)
{ [ -e /usr/include/gmp.h ] || ls /usr/include/*/gmp.h >/dev/null 2>&1; } || need="$need libgmp-dev"
elif [ -z "$need" ]; then
[ -x /usr/bin/chromium ] || need="$need chromium"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
# the central server's tests start a real JupyterHub, whose proxy is Debian's (the npm registry is not needed)
[ -x /usr/bin/configurable-http-proxy ] || need="$need node-configurable-http-proxy"
# the browser tests read Kyrgyz pages: chromium needs a font with Cyrillic (ң ө ү)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need="$need fonts-dejavu-core"
# tests/server/test_slow_readers.py reads the server's kernel memory per connection with `ss`
command -v ss >/dev/null 2>&1 || need="$need iproute2"
fi
[ -n "$need" ] || exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "installing from Debian:$need"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
