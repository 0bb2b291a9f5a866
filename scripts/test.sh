#!/usr/bin/env bash
# Set up everything the tests need, then run them: scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_common.sh

ensure_system_libraries
ensure_venv --group dev
exec .venv/bin/python -m pytest "$@"
