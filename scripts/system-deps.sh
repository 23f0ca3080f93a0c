#!/usr/bin/env bash
# Debian packages the test layers need: Chromium (e2e), Neovim (independent LSP client),
# libkrb5-dev + pkg-config (code-server's native build), GNU time (bench peak memory).
# Installs only what is missing; needs root (as on CI) or passwordless sudo.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v nvim >/dev/null 2>&1 || need+=(neovim)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
[ -x /usr/bin/time ] || need+=(time)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -q "${need[@]}" >/dev/null
