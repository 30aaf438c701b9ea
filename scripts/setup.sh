#!/usr/bin/env bash
# Installs everything Align Lab needs to build, run and test, on a fresh Debian machine with Node 20:
#   - Debian packages: chromium (browser tests and the preview/report checks), python3-numpy and
#     python3-mpmath (benchmark baseline and fixture regeneration), and what code-server's native
#     modules need to build for the end-to-end suite (libkrb5-dev, python3, make, g++);
#   - npm packages (npm ci, from package-lock.json);
#   - code-server for the end-to-end suite (cached under .e2e/, skipped when present).
# Idempotent; safe to run again. Needs root (or sudo) only when a Debian package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(chromium python3-numpy python3-mpmath libkrb5-dev python3 make g++ unzip)
missing=()
for pkg in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "setup: need root or sudo to install ${missing[*]}" >&2; exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund

if [ -x scripts/e2e/install-code-server.sh ] || [ -f scripts/e2e/install-code-server.sh ]; then
  bash scripts/e2e/install-code-server.sh
fi
echo "setup: done"
