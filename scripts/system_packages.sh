#!/usr/bin/env bash
# Installs Debian's chromium (for the Playwright tests), CJK fonts and gettext (makemessages, the
# catalogue check of `make lint`) when they are missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "cjk" || missing+=(fonts-noto-cjk)
command -v xgettext >/dev/null || missing+=(gettext)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
