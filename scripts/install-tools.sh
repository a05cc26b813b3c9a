#!/usr/bin/env bash
# The system tools the test suite drives, from Debian's packages: Chromium and CJK fonts for the
# explorer's and the API docs' browser tests (Playwright drives this binary; no browser is
# downloaded), and docker-compose, whose `config` checks docker-compose.yml without a Docker engine.
# Needs root, as on the development machines and in CI.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v docker-compose >/dev/null 2>&1 \
  && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install these first: sudo apt-get install chromium fonts-noto-cjk docker-compose" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk docker-compose >/dev/null
