#!/usr/bin/env bash
# Debian's Chromium and CJK fonts for the explorer's browser tests (Playwright drives this binary;
# no browser is downloaded). Needs root, as on the development machines and in CI.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install Chromium and CJK fonts first: sudo apt-get install chromium fonts-noto-cjk" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
