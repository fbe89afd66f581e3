#!/usr/bin/env bash
# Makes the Python lock files from their .in files: every transitive package pinned, with the SHA-256 of every
# file PyPI has for it, for every platform and for Python 3.10 and newer (markers where versions differ), so that
# build/ensure-venv.sh can install them with `pip install --require-hashes`.
#   build/lock-python.sh            relock all: local/moto (the emulator), build/lint (cfn-lint, checkov), build/sam (the SAM CLI), build/lock
#   build/lock-python.sh --upgrade  the same, moving every unpinned transitive package to its newest version
# Without --upgrade, versions already in a lock are kept where they still satisfy the .in file. Needs network access
# to PyPI. uv itself is installed, locked, by build/ensure-venv.sh from build/lock/requirements.txt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
upgrade=()
case "${1:-}" in
  "") ;;
  --upgrade) upgrade=(--upgrade) ;;
  *) echo "lock-python: unknown argument '$1'; usage: build/lock-python.sh [--upgrade]" >&2; exit 2 ;;
esac
bin=$(bash build/ensure-venv.sh lock-venv build/lock/requirements.txt "uv (the lock tool)")
for dir in local/moto build/lint build/lock build/sam; do
  # UV_CUSTOM_COMPILE_COMMAND: the header names this script, not the uv command line
  UV_CUSTOM_COMPILE_COMMAND="build/lock-python.sh" "$bin/uv" pip compile --quiet --universal --python-version 3.10 \
    --generate-hashes "${upgrade[@]}" "$dir/requirements.in" -o "$dir/requirements.txt"
  echo "lock-python: wrote $dir/requirements.txt ($(grep -c '^[A-Za-z0-9]' "$dir/requirements.txt") pinned)"
done
