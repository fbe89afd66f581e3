#!/usr/bin/env bash
# Installs the locked template linters (requirements.txt beside this script, with hashes) into .local-aws/lint-venv
# on first use and prints that virtualenv's bin directory.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec bash "$here/../ensure-venv.sh" lint-venv "$here/requirements.txt" "cfn-lint and checkov"
