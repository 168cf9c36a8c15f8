#!/usr/bin/env bash
# Lint and type-check the package: ruff (rules in pyproject.toml [tool.ruff]) and mypy ([tool.mypy]).
# Needs the lint extra: pip install -e ".[lint]". Exits non-zero when either finds a problem.
# Usage: scripts/lint.sh            (from anywhere; runs at the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
echo "ruff check src tests" >&2
ruff check src tests || status=1
echo "mypy (files: src/bulletin_qa)" >&2
mypy || status=1
exit $status
