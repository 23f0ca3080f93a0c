// Runs the Mocha suite inside code-server's (remote, Node) extension host, driven by headless Chromium:
// with `--vscode-option enable-smoke-test-driver` the workbench runs extensionTestsPath and reports its exit code
// through window.codeAutomationExit.
// Usage: node runtests.js <baseUrl> <extensionDevelopmentPath> <extensionTestsPath> <folder or .code-workspace file> [resultsDir]
const fs = require('node:fs');
const path = require('node:path');
const { launch, NOISE } = require('./browser');
const { GRANT_TRUST } = require('./untrusted');

const [, , base, devPath, testsPath, folder, results = 'test-results/e2e'] = process.argv;
const TIMEOUT_MS = Number(process.env.PHASEGATE_E2E_SUITE_TIMEOUT || 180000);

/**
 * Trusts the folder as a user does: the Trust button of the workspace trust editor, which the suite has opened
 * (`workbench.trust.manage`) before it logged GRANT_TRUST. A failure is logged; the suite, which waits for the
 * grant, fails on its own deadline.
 */
async function grantTrust(page) {
  try {
    const trust = page.locator('.workspace-trust-editor .workspace-trust-buttons .monaco-button', { hasText: /^\s*Trust\s*$/ });
    await trust.click({ timeout: 20000 });
  } catch (e) {
    console.log(`[runner] could not click Trust in the workspace trust editor: ${String(e && e.message).split('\n')[0]}`);
    await page.screenshot({ path: path.join(results, 'trust-editor.png') }).catch(() => undefined);
  }
}

(async () => {
  const t0 = Date.now();
  fs.mkdirSync(results, { recursive: true });
  const { page, close } = await launch();
  let done;
  const finished = new Promise((r) => (done = r));
  // The extension host's console: our PASS/FAIL lines, without the offline workbench's noise and stack frames.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const lines = (args || []).map(String).join(' ').split('\n');
    const kept = lines.filter((l) => !/^\s+at /.test(l));
    if (kept.length === 1 && kept[0] === GRANT_TRUST) return void grantTrust(page);
    if (kept.length && !NOISE.test(kept[0])) console.log(kept.join('\n'));
  });
  await page.exposeFunction('codeAutomationExit', async (code) => done(code));
  page.on('console', (m) => {
    const t = m.text();
    if (!NOISE.test(t) && m.type() === 'error') console.log('[page]', t.slice(0, 300));
  });
  const remote = (p) => `vscode-remote://${new URL(base).host}${path.resolve(p)}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(devPath)],
    ['extensionTestsPath', remote(testsPath)],
    ['skipWelcome', 'true'],
  ]);
  // A .code-workspace file opens as a (multi-root) workspace, anything else as a folder.
  const open = folder.endsWith('.code-workspace') ? 'workspace' : 'folder';
  await page.goto(`${base}/?${open}=${encodeURIComponent(path.resolve(folder))}&payload=${encodeURIComponent(payload)}`);
  let timer;
  const code = await Promise.race([finished, new Promise((r) => (timer = setTimeout(() => r('timeout'), TIMEOUT_MS)))]);
  clearTimeout(timer);
  if (code !== 0) await page.screenshot({ path: path.join(results, 'suite-failure.png') }).catch(() => undefined);
  // Only a failure is a counted line: the passing tests were counted one by one.
  console.log(`${code === 0 ? 'suite' : 'FAIL'} extension-host-suite: exit code ${code} after ${Date.now() - t0} ms`);
  await close();
  process.exit(code === 0 ? 0 : 1);
})().catch((e) => {
  console.log(`FAIL extension-host-suite: crashed: ${e && e.stack ? e.stack : e}`);
  process.exit(2);
});
