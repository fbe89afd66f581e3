#!/usr/bin/env bash
# Installs a lock file (every package pinned, with hashes; made by build/lock-python.sh) into a project-local
# virtualenv on first use (or when the file changed) and prints that virtualenv's bin directory. Safe to run
# concurrently (a lock serialises installs), cheap when done.
#   build/ensure-venv.sh NAME REQUIREMENTS "WHAT, for the message"
# The virtualenv is .local-aws/NAME (or $LOCAL_AWS_HOME/NAME). Used by local/moto/ensure-venv.sh (the emulator)
# and build/lint/ensure-venv.sh (cfn-lint and checkov). pip runs with --require-hashes: a package whose file does not
# match its hash, or any dependency the lock does not pin, stops the install.
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
  echo "ensure-venv: installing $what (locked) into $venv (first use only)" >&2
  rm -rf "$venv"
  if ! "$python" -m venv "$venv" >&2; then
    echo "ensure-venv: '$python -m venv' failed; on Debian/Ubuntu install python3-venv" >&2
    exit 1
  fi
  # --no-deps: the lock holds every transitive package, so pip resolves nothing (and does not refuse a dependency
  # named with extras, as it does under --require-hashes); pip check then proves the set is complete.
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q --require-hashes --no-deps \
      -r "$requirements" >&2 || ! "$venv/bin/python" -m pip check >&2; then
    rm -rf "$venv"
    echo "ensure-venv: installing $requirements failed (see above); with a hash mismatch or an unpinned" \
      "dependency, regenerate the lock with build/lock-python.sh" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
echo "$venv/bin"
