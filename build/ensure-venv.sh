#!/usr/bin/env bash
# Installs a pinned requirements file into a project-local virtualenv on first use (or when the file changed) and
# prints that virtualenv's bin directory. Safe to run concurrently (a lock serialises installs), cheap when done.
#   build/ensure-venv.sh NAME REQUIREMENTS "WHAT, for the message"
# The virtualenv is .local-aws/NAME (or $LOCAL_AWS_HOME/NAME). Used by local/moto/ensure-venv.sh (the emulator)
# and build/lint/ensure-venv.sh (cfn-lint and checkov).
set -euo pipefail
name=${1:?usage: ensure-venv.sh NAME REQUIREMENTS WHAT}
requirements=${2:?usage: ensure-venv.sh NAME REQUIREMENTS WHAT}
what=${3:-$name}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
home="${LOCAL_AWS_HOME:-$root/.local-aws}"
venv="$home/$name"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$requirements" | cut -d' ' -f1)
mkdir -p "$home"
exec 9>"$home/.$name.install.lock"
flock 9
if [ ! -x "$venv/bin/python" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  python=${PYTHON:-python3}
  if ! command -v "$python" >/dev/null 2>&1; then
    echo "ensure-venv: $python not found; install Python 3.10 or newer (see README, Prerequisites)" >&2
    exit 1
  fi
  echo "ensure-venv: installing $what (pinned) into $venv (first use only)" >&2
  rm -rf "$venv"
  if ! "$python" -m venv "$venv" >&2; then
    echo "ensure-venv: '$python -m venv' failed; on Debian/Ubuntu install python3-venv" >&2
    exit 1
  fi
  "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$requirements" >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin"
