import * as assert from 'node:assert/strict';
import { pathToUri, uriToPath } from '../../server/src/lsp/uri';

describe('language server: file URIs <-> engine paths', () => {
  it('round-trips POSIX paths with spaces and non-ASCII names', () => {
    const p = '/home/me/My Project/phase-1/06-OUTPUT_HANDOFF.md';
    assert.equal(pathToUri(p), 'file:///home/me/My%20Project/phase-1/06-OUTPUT_HANDOFF.md');
    assert.equal(uriToPath(pathToUri(p)), p);
    assert.equal(uriToPath(pathToUri('/ws/Décisions #1.md')), '/ws/Décisions #1.md');
  });

  it('reads VS Code Windows URIs (encoded drive colon) and writes them the same way', () => {
    assert.equal(uriToPath('file:///c%3A/Users/me/ws/phase-1/00-PHASE_BRIEF.md'), 'c:/Users/me/ws/phase-1/00-PHASE_BRIEF.md');
    assert.equal(uriToPath('file:///C:/ws/a.md'), 'c:/ws/a.md');
    assert.equal(pathToUri('C:/ws/a b.md'), 'file:///c%3A/ws/a%20b.md');
    assert.equal(pathToUri('c:\\ws\\a.md'), 'file:///c%3A/ws/a.md');
  });

  it('ignores queries and fragments; other schemes have no path', () => {
    assert.equal(uriToPath('file://localhost/ws/a.md'), '/ws/a.md');
    assert.equal(uriToPath('file:///ws/a.md#L3'), '/ws/a.md');
    assert.equal(uriToPath('untitled:Untitled-1'), undefined);
    assert.equal(uriToPath('vscode-notebook-cell:/ws/a.ipynb'), undefined);
  });
});
