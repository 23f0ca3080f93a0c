import * as assert from 'node:assert/strict';
import { DefinitionRequest, DocumentLink, DocumentLinkRequest, Location } from 'vscode-languageserver-protocol/node';
import { fixtureServer, uri } from './client';

const REPORT = 'audit/phase-1/03-FINDINGS/report.md';

/** A findings document with heading anchors, a same-document anchor and reference-style links. */
const LINES = [
  '# Audit Report',
  '',
  '## Links & Notes',
  '',
  '- [plan](../02-EXECUTION_PLAN.md#tasks)',
  '- [up](#links--notes)',
  '- [ref][r1] and [decision][] and [decision]',
  '- [nowhere](../02-EXECUTION_PLAN.md#no-such-heading) and [not here](#no-such-heading)',
  '- [first decision](../05-DECISIONS.md#decision-1-use-pytest-cov-for-coverage)',
  '',
  '## Links & Notes',
  '',
  '- [second](#links--notes-1)',
  '',
  '[r1]: ../05-DECISIONS.md',
  '[decision]: ../05-DECISIONS.md#decision-log',
  '',
  '- [escaped](../02\\-EXECUTION\\_PLAN.md#tasks) and [escaped ref][r2]',
  '',
  '[r2]: ../05\\-DECISIONS.md',
  '',
];

describe('language server: links and definitions of heading anchors and reference-style links', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: true });
  let u: string;
  let links: DocumentLink[];

  before(async () => {
    u = uri(s.root, REPORT);
    await s.c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'markdown', version: 1, text: LINES.join('\n') } });
    links = (await s.c.conn.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: u } })) as DocumentLink[];
  });

  const plan = () => uri(s.root, 'audit/phase-1/02-EXECUTION_PLAN.md');
  const decisions = () => uri(s.root, 'audit/phase-1/05-DECISIONS.md');
  /** The link targets starting on a line, in column order. */
  const targetsOn = (line: number) => links.filter((l) => l.range.start.line === line).map((l) => l.target);
  const definition = async (line: number, text: string) => {
    const r = (await s.c.conn.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: u },
      position: { line, character: LINES[line].indexOf(text) + 1 },
    })) as Location[];
    return r.map((l) => `${l.uri}:${l.range.start.line}`);
  };

  it('a fragment leads to its heading: #L<line> in the link, the heading for go to definition', async () => {
    // `## Tasks` is line 13 of the plan (1-based), 12 as an LSP line.
    assert.deepEqual(targetsOn(4), [`${plan()}#L13`]);
    assert.deepEqual(await definition(4, '02-EXECUTION'), [`${plan()}:12`]);
    // Punctuation dropped from the slug (`:`, `-` kept).
    assert.deepEqual(targetsOn(8), [`${decisions()}#L11`]);
    assert.deepEqual(await definition(8, 'decision-1'), [`${decisions()}:10`]);
  });

  it('a same-document anchor leads to its heading, a repeated heading by its -1 suffix', async () => {
    assert.deepEqual(targetsOn(5), [`${u}#L3`]);
    assert.deepEqual(await definition(5, '#links'), [`${u}:2`]);
    assert.deepEqual(targetsOn(12), [`${u}#L11`]);
    assert.deepEqual(await definition(12, '#links'), [`${u}:10`]);
  });

  it('an anchor that names no heading: the file without a fragment, nothing within the document', async () => {
    assert.deepEqual(targetsOn(7), [plan()]);
    assert.deepEqual(await definition(7, '#no-such-heading)'), [`${plan()}:0`]);
    assert.deepEqual(await definition(7, '(#no-such'), []);
  });

  it('reference-style links and their definitions lead to the target', async () => {
    assert.deepEqual(targetsOn(6), [decisions(), `${decisions()}#L9`, `${decisions()}#L9`]);
    assert.deepEqual(targetsOn(14), [decisions()]);
    assert.deepEqual(targetsOn(15), [`${decisions()}#L9`]);
    assert.deepEqual(await definition(6, 'ref'), [`${decisions()}:0`]);
    assert.deepEqual(await definition(6, 'decision]'), [`${decisions()}:8`]);
    assert.deepEqual(await definition(14, '05-DEC'), [`${decisions()}:0`]);
  });

  it('reads backslash escapes in link targets as Markdown does', async () => {
    assert.deepEqual(targetsOn(17), [`${plan()}#L13`, decisions()]);
    assert.deepEqual(targetsOn(19), [decisions()]);
    assert.deepEqual(await definition(17, 'EXECUTION'), [`${plan()}:12`]);
    assert.deepEqual(await definition(17, 'escaped ref'), [`${decisions()}:0`]);
  });
});
