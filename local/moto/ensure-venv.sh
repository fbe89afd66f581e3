#!/usr/bin/env bash
# Installs the locked local AWS emulator (moto server; requirements.txt beside this script, with hashes) into
# .local-aws/venv on first use, and prints the path of that virtualenv's python.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$(bash "$here/../../build/ensure-venv.sh" venv "$here/requirements.txt" "the local AWS emulator (moto)")
echo "$bin/python"
