#!/usr/bin/env bash
# Set up a virtual environment in .venv (first run only) and run every check:
# ruff, mypy --strict, reuse lint and the whole pytest suite (docs examples included).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
.venv/bin/ruff check oerremix tests scripts benchmarks
.venv/bin/ruff format --check oerremix tests scripts benchmarks
.venv/bin/mypy
.venv/bin/reuse lint --quiet || .venv/bin/reuse lint
.venv/bin/python -m pytest "$@"
