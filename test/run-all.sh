#!/usr/bin/env bash
# Every test layer, in order: static checks, unit + CLI + protocol (mocha), Neovim as an
# independent LSP client, and the end-to-end run in a real VS Code (code-server + Chromium).
# Each layer runs even when an earlier one failed; the exit code is non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh || { echo "system packages could not be installed"; exit 1; }
passed=0
failed=0
failures=()
layer() {
  local name=$1; shift
  echo
  echo "=== $name ==="
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); echo "--- $name: ok ($((SECONDS - t0)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "--- $name: FAILED ($((SECONDS - t0)) s)"
  fi
}
layer "typecheck" npx tsc -b
layer "lint" npm run --silent lint
layer "build" npm run --silent build
layer "unit, cli, protocol (mocha)" npx mocha
layer "neovim lsp client" bash test/nvim/run.sh
layer "package .vsix" npm run --silent package
layer "e2e in code-server" bash test/e2e/run.sh
echo
[ ${#failures[@]} -eq 0 ] || echo "failed layers: ${failures[*]}"
echo "layers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
