#!/usr/bin/env bash
# Neovim as an LSP client of the built server: diagnostics pushed (no pull in Neovim 0.7),
# a Phasegate quick fix offered and applied. Builds dist/server.js first (as esbuild.mjs
# does; ~0.2 s) unless PHASEGATE_NO_BUILD is set.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"
command -v nvim >/dev/null || { echo "nvim not found" >&2; exit 2; }
if [ -z "${PHASEGATE_NO_BUILD:-}" ] || [ ! -f dist/server.js ]; then
  npx esbuild server/src/node/server.ts --bundle --platform=node --target=node20 --outfile=dist/server.js --log-level=warning
fi
WS=$(mktemp -d "${TMPDIR:-/tmp}/phasegate-nvim-XXXXXX")
trap 'rm -rf "$WS"' EXIT
cp -R test/fixtures/protocol-ws/. "$WS/"
OUT="$WS.log"
trap 'rm -rf "$WS" "$OUT"' EXIT
rc=0
PHASEGATE_WS="$WS" PHASEGATE_SERVER="$REPO/dist/server.js" timeout 90 \
  nvim --headless -u NONE -i NONE -c "luafile $REPO/test/nvim/lsp-test.lua" >"$OUT" 2>&1 || rc=$?
cat "$OUT"
check() { grep -q -- "$1" "$OUT" || { echo "run.sh: expected output matching '$1'" >&2; rc=1; }; }
check 'diag line=6 col=0 sev=1 src=phasegate code=missing-section href=https://.*#rule-missing-section'
check 'code=missing-document'
check 'codeaction kind=quickfix title=Insert section "Scope"'
check 'fixed: missing-section gone after the quick fix'
check 'disk: validation checklist written, its missing-document gone'
check 'disk: validation checklist deleted, its missing-document back'
if grep -q '^FAIL' "$OUT"; then rc=1; fi
[ "$rc" -eq 0 ] && echo "nvim LSP test: OK" || echo "nvim LSP test: FAILED (rc=$rc)" >&2
exit "$rc"
