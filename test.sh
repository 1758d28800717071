#!/usr/bin/env bash
# Runs the whole test suite: lint, then every test on SQLite and on PostgreSQL,
# browser tests included (Debian's chromium, installed here when missing).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh

if ! command -v chromium >/dev/null 2>&1; then
  echo "==> Installing Debian's chromium for the browser tests"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

echo "==> Lint (ruff)"
.venv/bin/ruff check .

PG_URL=${TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/marketplace_test}

echo "==> Tests on SQLite"
TEST_DATABASE_URL=sqlite .venv/bin/python -m pytest "$@"

echo "==> Tests on PostgreSQL ($PG_URL)"
TEST_DATABASE_URL="$PG_URL" .venv/bin/python -m pytest "$@"
