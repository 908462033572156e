#!/usr/bin/env bash
# Installs the pinned OASIS STIX validator (PyPI `stix2-validator`) used by the export tests into
# a virtualenv outside the repo, like install-synapse.sh. Idempotent: a warm cache returns at
# once. Prints the venv path on stdout. (3.3.1 on PyPI ships without its JSON schemas: every object
# fails with "Cannot locate a schema"; 3.3.2 has them.)
set -euo pipefail
STIX_VALIDATOR_VERSION="${STIX_VALIDATOR_VERSION:-3.3.2}"
CACHE="${TEARLINE_CACHE:-$HOME/.cache/tearline}"
VENV="$CACHE/stix2-validator-$STIX_VALIDATOR_VERSION"
PY="${PYTHON:-python3}"
if [ -x "$VENV/bin/stix2_validator" ] && [ -f "$VENV/.installed" ]; then
  echo "$VENV"; exit 0
fi
mkdir -p "$CACHE"
rm -rf "$VENV"
"$PY" -m venv "$VENV" >&2
"$VENV/bin/pip" install --quiet --upgrade pip >&2
"$VENV/bin/pip" install --quiet "stix2-validator==$STIX_VALIDATOR_VERSION" >&2
touch "$VENV/.installed"
echo "$VENV"
