#!/usr/bin/env bash
# Installs what pip cannot: headless Chromium and its driver for the browser tests, and a
# Persian-capable font (Noto Naskh/Sans Arabic in fonts-noto-core) and an emoji font so the digest
# renders without tofu (empty boxes).
# Needs root and apt-get; elsewhere it says what is missing and leaves it to the user.
set -euo pipefail
# (grep without -q: with pipefail an early exit would fail fc-list with SIGPIPE)
have_font() { command -v fc-list >/dev/null 2>&1 && fc-list :lang=fa family | grep -i . >/dev/null && fc-list | grep -i emoji >/dev/null; }
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && have_font; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium, chromium-driver, fonts-noto-core and fonts-noto-color-emoji (browser tests, glyphs)…"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-core fonts-noto-color-emoji fontconfig >/dev/null
else
  echo "chromium/chromedriver/a Persian or emoji font not found: install them" \
    "(Debian: apt-get install chromium chromium-driver fonts-noto-core fonts-noto-color-emoji)" >&2
  exit 1
fi
