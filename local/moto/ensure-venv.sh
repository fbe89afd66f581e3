#!/usr/bin/env bash
# Installs the pinned local AWS emulator (moto server, requirements.txt beside this script) into a
# project-local virtualenv on first use, and prints the path of that virtualenv's python.
# Safe to run concurrently (a lock file serialises installs) and cheap when already installed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
home="${LOCAL_AWS_HOME:-$root/.local-aws}"
venv="$home/venv"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)
mkdir -p "$home"
exec 9>"$home/.install.lock"
flock 9
if [ ! -x "$venv/bin/python" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  python=${PYTHON:-python3}
  if ! command -v "$python" >/dev/null 2>&1; then
    echo "ensure-venv: $python not found; install Python 3.10 or newer (see README, Prerequisites)" >&2
    exit 1
  fi
  echo "ensure-venv: installing the local AWS emulator (moto, pinned) into $venv (first use only)" >&2
  rm -rf "$venv"
  if ! "$python" -m venv "$venv" >&2; then
    echo "ensure-venv: '$python -m venv' failed; on Debian/Ubuntu install python3-venv" >&2
    exit 1
  fi
  "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$here/requirements.txt" >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
