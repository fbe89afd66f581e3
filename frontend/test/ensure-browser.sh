#!/usr/bin/env bash
# Installs what the end-to-end browser test needs, on first use:
#   - Debian's chromium package (apt-get, when /usr/bin/chromium is missing and we are root), or $CHROMIUM if set;
#   - playwright-core from npm (npm ci in frontend/, pinned by the committed package-lock.json).
# Exit codes: 0 ready; 3 cannot install here (the message says what to install by hand); anything else: an
# install step failed. Safe to run concurrently (a lock serialises it) and cheap when everything is present.
set -euo pipefail
frontend=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
# the lock lives outside node_modules, which npm ci deletes
exec 9>"${TMPDIR:-/tmp}/ensure-browser-$(printf '%s' "$frontend" | sha256sum | cut -c1-16).lock"
flock 9

if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-browser: installing Debian's chromium for the browser test (first use only)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >&2
  else
    echo "ensure-browser: $chromium is missing and cannot be installed as this user;" \
      "install Debian's 'chromium' package (sudo apt-get install chromium) or set CHROMIUM=/path/to/chrome" >&2
    exit 3
  fi
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-browser: installing Node.js and npm (first use only)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq nodejs npm >&2
  else
    echo "ensure-browser: node and npm are needed for the browser test; install Node.js 18 or newer" >&2
    exit 3
  fi
fi

stamp="$frontend/node_modules/.package-lock.sha256"
want=$(sha256sum "$frontend/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$frontend/node_modules/playwright-core/package.json" ] || [ ! -f "$stamp" ] \
  || [ "$(cat "$stamp")" != "$want" ]; then
  echo "ensure-browser: npm ci in frontend/ (playwright-core, pinned)" >&2
  (cd "$frontend" && npm ci --no-audit --no-fund --loglevel=error >&2)
  mkdir -p "$frontend/node_modules"
  echo "$want" > "$stamp"
fi
echo "$chromium"
