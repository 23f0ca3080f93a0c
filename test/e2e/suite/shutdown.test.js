// Runs after extension.test.js (files run in name order): it deactivates the extension, as VS Code does when
// the window closes, so nothing can run after it.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');
const pkg = require('../../../package.json');
const { DEFECT } = require('../defect');
const { wsFile } = require('./helpers');

const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;

describe('Phasegate when its window closes', function () {
  it('deactivates without failing a provider or writing to a closed output channel', async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const api = await ext.activate();
    assert.equal(api.running, true, 'the language client runs before');
    const doc = await vscode.workspace.openTextDocument(wsFile(...DEFECT.file.split('/')));
    // The provider the client registered with VS Code, called as the workbench calls it.
    const provider = api.client.getFeature('textDocument/codeAction').getProvider(doc);
    assert.ok(provider && typeof provider.provideCodeActions === 'function', 'the client provides code actions for the document');
    const token = new vscode.CancellationTokenSource().token;
    const context = { diagnostics: [], only: undefined, triggerKind: vscode.CodeActionTriggerKind.Automatic };
    const { pid } = await api.request('phasegate/serverInfo', undefined);
    // The workbench asks for code actions while the window closes (a cursor move, an editor closing)…
    const asked = [0, 1, 2].map((line) => Promise.resolve(provider.provideCodeActions(doc, new vscode.Range(line, 0, line, 0), context, token)));
    // …and VS Code calls the extension's deactivate() and, without waiting for it, disposes its subscriptions.
    const main = require(path.join(ext.extensionPath, 'dist', 'client.js'));
    const deactivated = main.deactivate();
    for (const d of api.extension.subscriptions.splice(0)) d.dispose();
    // The client logs to its output channel until it has stopped: the channel must still be open.
    assert.doesNotThrow(() => api.output.info('the window closes'), 'the output channel is open while the client stops');
    const answers = await Promise.allSettled(asked);
    assert.deepEqual(
      answers.filter((a) => a.status === 'rejected').map((a) => String(a.reason && a.reason.message)),
      [],
      'no code action request fails',
    );
    await deactivated;
    assert.equal(api.running, false, 'the language client has stopped');
    assert.throws(() => api.output.info('closed'), /closed/i, 'the output channel is disposed once the client has stopped');
    // The server process exits after that, and the client says so ("Server process exited …"): into the
    // disposed channel, that would throw, uncaught, and fail this test. Until it has exited (and been reaped):
    const deadline = Date.now() + 10000;
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    while (alive()) {
      assert.ok(Date.now() < deadline, `the server process ${pid} exits within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setImmediate(r));
  });
});
