#!/usr/bin/env bash
# Installs the pinned template linters (requirements.txt beside this script) into .local-aws/lint-venv on
# first use and prints that virtualenv's bin directory. Safe to run concurrently.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
home="${LOCAL_AWS_HOME:-$root/.local-aws}"
venv="$home/lint-venv"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)
mkdir -p "$home"
exec 9>"$home/.lint-install.lock"
flock 9
if [ ! -x "$venv/bin/python" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "ensure-venv: installing cfn-lint and checkov (pinned) into $venv (first use only)" >&2
  rm -rf "$venv"
  "${PYTHON:-python3}" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$here/requirements.txt" >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin"
