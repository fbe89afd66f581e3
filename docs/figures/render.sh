#!/usr/bin/env bash
# Regenerates docs/figures/*.png from template.yaml, cloudwatch/ and architecture.svg (see render.py).
#
#   bash docs/figures/render.sh            the configuration figures
#   bash docs/figures/render.sh --local    also a scripted local run (local-run.sh; needs a build of local/runtime)
#                                          and the two figures drawn from its EMF lines: metrics.png and
#                                          dashboard-local.png
#
# Needs Chromium (Debian: apt-get update && apt-get install -y chromium) and Python 3 with PyYAML: the system
# python3 if it has it, otherwise the emulator's virtualenv (.local-aws/venv, made by ./pipeline run or test).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

python=""
for candidate in python3 .local-aws/venv/bin/python; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' 2>/dev/null; then
    python=$candidate
    break
  fi
done
[ -n "$python" ] || { echo "render.sh: no Python with PyYAML; run ./pipeline test once, or pip install pyyaml" >&2; exit 1; }

if [ "${1:-}" = "--local" ]; then
  bash docs/figures/local-run.sh
  exec "$python" docs/figures/render.py --emf-log .local-aws/logs/functions.log
fi
exec "$python" docs/figures/render.py "$@"
