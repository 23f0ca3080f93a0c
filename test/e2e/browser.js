// Launching Debian's Chromium for Playwright the way code-server's workbench needs it (flags from the proven recipe).
const { chromium } = require('playwright-core');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A persistent context with a fresh profile (Playwright refuses --user-data-dir in args), removed on close. */
async function launch(viewport = { width: 1400, height: 900 }) {
  const udd = fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-chrome-'));
  const context = await chromium.launchPersistentContext(udd, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport,
    args: ARGS,
  });
  const close = async () => {
    await context.close().catch(() => undefined);
    fs.rmSync(udd, { recursive: true, force: true });
  };
  return { context, page: context.pages()[0] || (await context.newPage()), close };
}

/** Browser console noise of an offline code-server (marketplace, fonts) that says nothing about our extension. */
const NOISE =
  /Failed to load resource|open-vsx|ENOTFOUND|net::ERR_|AccountPolicy|INFO color|marketplace|Content Security Policy|Long running operations during shutdown|Resolving connection token|Resolved connection token|Creating a socket|reconnection-grace-time|Updating additional builtin|Service Worker|AgentHost/;

module.exports = { launch, NOISE };
