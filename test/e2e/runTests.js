// The same Mocha suite in a downloaded VS Code (Electron), for machines that can download one:
//   npm run build && node test/e2e/runTests.js
// Env: VSCODE_VERSION (default "stable"). Where no VS Code can be downloaded, test/e2e/run.sh runs the suite in
// code-server's extension host instead.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');
const { plant } = require('./defect');

async function main() {
  const root = path.resolve(__dirname, '../..');
  if (!fs.existsSync(path.join(root, 'dist/client.js')) || !fs.existsSync(path.join(root, 'dist/server.js'))) {
    throw new Error('dist/ is not built: run `npm run build` first');
  }
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-electron-'));
  fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
  plant(workspace);
  try {
    await runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`FAIL runTests: ${e.message || e}`);
  process.exit(1);
});
