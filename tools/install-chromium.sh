#!/usr/bin/env bash
# Installs Debian's headless browser pieces used by the catwalk_production web tests:
# `chromium` (/usr/bin/chromium) and `chromium-driver` (/usr/bin/chromedriver).
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver
