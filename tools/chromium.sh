#!/usr/bin/env bash
# Headless Chromium for the report's page tests and `npm run report -- --screenshot`: Debian's
# chromium package, installed when missing (root: apt-get; otherwise say what to run and go on:
# only those tests need it, and they say so).
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ] || command -v chromium >/dev/null 2>&1; then
  echo "[setup] chromium: present"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "[setup] warning: chromium is missing; run 'sudo apt-get install -y chromium' (or set CHROMIUM_PATH) for the report's page tests and --screenshot" >&2
  exit 0
fi
echo "[setup] installing Debian's chromium (apt-get)..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
echo "[setup] chromium: $(chromium --version 2>/dev/null || echo installed)"
