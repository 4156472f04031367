#!/usr/bin/env bash
# Installs what pip cannot: headless Chromium and its driver for the browser tests.
# Needs root and apt-get; elsewhere it says what is missing and leaves it to the user.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium and chromium-driver (browser tests)…"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
else
  echo "chromium/chromedriver not found: install them (Debian: apt-get install chromium chromium-driver)" >&2
  exit 1
fi
