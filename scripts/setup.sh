#!/usr/bin/env bash
# Prepares this checkout: a Python virtual environment in .venv with the pinned
# packages, and (with --browser) Debian's Chromium for the browser tests.
# Safe to run again: it only installs what is missing. Sourced by scripts/serve and scripts/test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.requirements-installed
if [ ! -f "$stamp" ] || ! cmp -s requirements.txt "$stamp"; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  cp requirements.txt "$stamp"
fi

if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null; then
  echo "Installing Chromium for the browser tests (needs root)..."
  if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -qq
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq chromium >/dev/null
fi
