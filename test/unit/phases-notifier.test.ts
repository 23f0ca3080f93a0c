/**
 * The phase tree's change notices (`PhasesNotifier`): changes coalesce into one notice after a delay, and the
 * background check's announcements (already paced by it) go at once, with the changes waiting for the delay.
 */
import * as assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver';
import { DidChangePhasesNotification, type DidChangePhasesParams } from '../../server/src/protocol';
import { PhasesNotifier } from '../../server/src/lsp/custom';
import type { Folder } from '../../server/src/lsp/workspaces';

function notifier(delayMs: number) {
  const sent: DidChangePhasesParams[] = [];
  const listeners: (() => void)[] = [];
  const connection = {
    sendNotification: (type: { method: string }, params: DidChangePhasesParams) => {
      assert.equal(type.method, DidChangePhasesNotification.method);
      sent.push(params);
      listeners.splice(0).forEach((l) => l());
      return Promise.resolve();
    },
  } as unknown as Connection;
  const next = () => new Promise<void>((resolve) => listeners.push(resolve));
  return { n: new PhasesNotifier(connection, delayMs), sent, next };
}

const folder = (uri: string) => ({ uri }) as Folder;

describe('phase tree change notices', () => {
  it('coalesces changes into one notice after the delay, carrying the last version', async () => {
    const { n, sent, next } = notifier(20);
    const notice = next();
    n.changed(folder('file:///a'));
    n.changed(folder('file:///b'));
    assert.deepEqual(sent, [], 'nothing before the delay');
    await notice;
    assert.deepEqual(sent, [{ folderUris: ['file:///a', 'file:///b'], version: 2 }]);
    n.dispose();
  });

  it('sends at once when asked (now), with the changes that waited for the delay, and not again for them', async () => {
    const { n, sent, next } = notifier(20);
    n.changed(folder('file:///a'));
    n.changed(folder('file:///b'), true);
    assert.deepEqual(sent, [{ folderUris: ['file:///a', 'file:///b'], version: 2 }]);
    // A later change gets a notice of its own after the delay: the first change's timer did not send an empty one.
    const notice = next();
    n.changed(folder('file:///c'));
    await notice;
    assert.deepEqual(sent.slice(1), [{ folderUris: ['file:///c'], version: 3 }]);
    n.dispose();
  });
});
