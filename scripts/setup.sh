#!/usr/bin/env bash
# Shared setup for ./run.sh and ./test.sh: Python packages, front-end assets,
# translations. Safe to run again; it redoes only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Python 3.11 or newer is needed (found $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "Node.js and npm are needed to install GOV.UK Frontend (https://nodejs.org)." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> Creating the Python virtual environment (.venv)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "==> Installing Python packages"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

npm_stamp=node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f "$npm_stamp" ]; then
  echo "==> Installing GOV.UK Frontend, Sass and axe-core from the npm registry"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$npm_stamp"
fi
if [ ! -f static/dist/council.css ] || [ -n "$(find assets scripts/build-assets.mjs package-lock.json -newer static/dist/council.css 2>/dev/null | head -1)" ]; then
  echo "==> Building the council stylesheet"
  npm run --silent build
fi

echo "==> Compiling translations"
.venv/bin/pybabel compile -d marketplace/translations >/dev/null
