#!/usr/bin/env bash
# Prints the JVM options template.yaml gives every function (Globals.Function.Environment.Variables.JAVA_TOOL_OPTIONS),
# for the launchers of the local runtime (./pipeline run and chaos, replay/replay local-stack): the functions run inside
# one JVM, and this way with the same just-in-time compiler settings as on Lambda (C1 only), which also spares the
# local stack the C2 compiler's CPU in its first minutes. Prints nothing when the template sets none.
# JvmOptionsScriptTest holds this to the template as the local runtime reads it.
set -euo pipefail
sed -n 's/^ \{8\}JAVA_TOOL_OPTIONS: *"\([^"]*\)" *$/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../../template.yaml" | head -1
