#!/usr/bin/env bash
# Installs the locked AWS SAM CLI (requirements.txt beside this script, with hashes) into .local-aws/sam-venv on
# first use and prints that virtualenv's bin directory.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec bash "$here/../ensure-venv.sh" sam-venv "$here/requirements.txt" "the AWS SAM CLI"
