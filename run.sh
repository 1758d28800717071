#!/usr/bin/env bash
# Sets everything up and runs the site on http://127.0.0.1:5000 with demo data.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
export FLASK_APP=app.py
echo "==> Preparing the database"
.venv/bin/flask db upgrade
.venv/bin/flask demo seed
echo
.venv/bin/flask demo logins
echo
echo "The site is at http://127.0.0.1:${PORT:-5000} (press Ctrl+C to stop)"
exec .venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
