#!/usr/bin/env bash
# Installs the pinned Synapse used by the tests into a virtualenv outside the repo.
# Idempotent: a warm cache returns at once. Prints the venv path on stdout.
set -euo pipefail
SYNAPSE_VERSION="${SYNAPSE_VERSION:-1.163.2}"
CACHE="${TEARLINE_CACHE:-$HOME/.cache/tearline}"
VENV="$CACHE/synapse-$SYNAPSE_VERSION"
PY="${PYTHON:-python3}"
if [ -x "$VENV/bin/python" ] && [ -f "$VENV/.installed" ]; then
  echo "$VENV"; exit 0
fi
mkdir -p "$CACHE"
rm -rf "$VENV"
"$PY" -m venv "$VENV" >&2
"$VENV/bin/pip" install --quiet --upgrade pip >&2
"$VENV/bin/pip" install --quiet "matrix-synapse==$SYNAPSE_VERSION" >&2
touch "$VENV/.installed"
echo "$VENV"
