#!/usr/bin/env bash
# Prepares this checkout: a Python virtual environment in .venv with the pinned
# packages, the system library the social cards need (libcairo2) and the pinned
# npm packages (the browser editor, decap-cms, which every build publishes at
# admin/; axe-core and Lighthouse); with --browser also Debian's Chromium for
# the browser tests. Safe to run again: it only installs what is
# missing or changed. Run by scripts/serve, scripts/test (with --browser) and
# scripts/test --fast (without: the unit tier needs no browser).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
with_browser=$([ "${1:-}" = "--browser" ] && echo yes || echo no)

# System packages (Debian/Ubuntu), only those missing.
missing=()
ldconfig -p 2>/dev/null | grep -q 'libcairo\.so\.2' || missing+=(libcairo2)
[ "$with_browser" = no ] || command -v chromium >/dev/null || missing+=(chromium)
# The tests' Playwright runs the headless shell of the same Chromium (scripts/devtools/chromium.py).
[ "$with_browser" = no ] || command -v chromium-headless-shell >/dev/null || missing+=(chromium-headless-shell)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (needs root)..."
  if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -qq
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq "${missing[@]}" >/dev/null
fi

# The npm packages pinned in package-lock.json: the browser editor every build publishes at admin/
# (decap-cms) and its local server for `clinic edit` (decap-server), so without --browser too; and
# axe-core and Lighthouse for the accessibility tests and scripts/devtools/lighthouse.py. npm runs
# while pip installs the Python packages (neither needs the other): on a fresh machine the two
# took 40 s and 50 s one after the other, about 50 s side by side.
npm_stamp=node_modules/.package-lock-installed
npm_pid=
trap '[ -z "$npm_pid" ] || kill "$npm_pid" 2>/dev/null || true' EXIT   # pip failed: npm stops too
if [ ! -f "$npm_stamp" ] || ! cmp -s package-lock.json "$npm_stamp"; then
  command -v npm >/dev/null || { echo "Node.js 20+ and npm are needed: apt-get install -y nodejs npm" >&2; exit 1; }
  # --prefer-offline: a package already in npm's cache (checked against package-lock.json's
  # integrity hash all the same) is not asked about again: 15 s instead of 19 s here.
  npm ci --no-audit --no-fund --prefer-offline --loglevel=error &
  npm_pid=$!
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# The pinned packages, each file checked against its hash in requirements.lock (every package,
# the ones they need included; requirements.txt is the readable list it is made from), then this
# project's own package (scripts/clinic_site, scripts/devtools) in editable mode, so hooks,
# commands and tests import it without touching sys.path. pip itself is not upgraded: an
# unpinned download is what the hashes are there to refuse. pip installs only uv, from its own
# entry in the lock (hashes checked; uv needs no other package); uv installs the rest, hashes
# checked the same way (--require-hashes): on a fresh machine 29 s with pip, under 3 s with uv.
stamp=.venv/.requirements-installed
if [ ! -f "$stamp" ] || ! cat requirements.lock pyproject.toml | cmp -s - "$stamp"; then
  awk '/^[^ #]/ { entry = /^uv==/ } entry' requirements.lock > .venv/uv-requirement.txt
  grep -q '^uv==' .venv/uv-requirement.txt || { echo "requirements.lock has no uv entry" >&2; exit 1; }
  .venv/bin/python -m pip install --quiet --require-hashes --no-deps -r .venv/uv-requirement.txt
  # --compile-bytecode: uv writes no .pyc files unless asked, and the first run after a fresh install
  # then compiled every module it imported, in each process at once: 20 s before the suite's first
  # test. Compiled here, on every core, while npm runs.
  .venv/bin/uv pip install --quiet --python .venv/bin/python --compile-bytecode --require-hashes -r requirements.lock
  .venv/bin/uv pip install --quiet --python .venv/bin/python --no-build-isolation --no-deps -e .
  cat requirements.lock pyproject.toml > "$stamp"
fi

# The npm packages' install finishes here (started before the Python packages: see above).
if [ -n "$npm_pid" ]; then
  wait "$npm_pid" || { echo "npm ci failed (its message is above): run scripts/setup.sh again" >&2; exit 1; }
  npm_pid=
  cp package-lock.json "$npm_stamp"
fi
