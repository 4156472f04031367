#!/usr/bin/env bash
# Installs what pip cannot: headless Chromium and its driver for the browser tests, and a
# Persian-capable font (Noto Naskh/Sans Arabic in fonts-noto-core) so the digest renders without tofu.
# Needs root and apt-get; elsewhere it says what is missing and leaves it to the user.
set -euo pipefail
have_font() { command -v fc-list >/dev/null 2>&1 && fc-list :lang=fa family | grep -qi .; }
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && have_font; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium, chromium-driver and fonts-noto-core (browser tests, Persian glyphs)…"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-core fontconfig >/dev/null
else
  echo "chromium/chromedriver/a Persian font not found: install them" \
    "(Debian: apt-get install chromium chromium-driver fonts-noto-core)" >&2
  exit 1
fi
