/**
 * Go to Definition and Find References on the items of a handoff, over the language server's protocol: an input
 * received in phase 2's input handoff leads to the item of phase 1's output handoff that hands it off, and back; and
 * on a deliverable of the brief, which leads to the lines of the output handoff that address it, and back.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DefinitionRequest, HoverRequest, Location, ReferencesRequest } from 'vscode-languageserver-protocol/node';
import { fixtureServer, uri } from './client';

const IN = 'audit/phase-2/01-INPUT_HANDOFF.md';
const OUT = 'audit/phase-1/06-OUTPUT_HANDOFF.md';

describe('language server: definitions and references of handoff items and deliverables', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: true });
  const lines = (rel: string) => fs.readFileSync(path.join(s.root, rel), 'utf8').split('\n');
  /** The position of `text` on the first line of `rel` that holds it (one character in). */
  const on = (rel: string, text: string) => {
    const all = lines(rel);
    const line = all.findIndex((l) => l.includes(text));
    assert.ok(line >= 0, `${text} in ${rel}`);
    return { textDocument: { uri: uri(s.root, rel) }, position: { line, character: all[line].indexOf(text) + 1 } };
  };
  const where = (ls: unknown) => ((ls ?? []) as Location[]).map((l) => `${path.relative(s.root, new URL(l.uri).pathname)}:${l.range.start.line}`);
  const lineOf = (rel: string, text: string) => lines(rel).findIndex((l) => l.includes(text));

  it('says it answers references', () => {
    assert.equal(s.c.capabilities?.referencesProvider, true);
  });

  it('an input received leads to the output handoff item that hands it off; its link still to its file', async () => {
    const item = lineOf(OUT, '- Audit report: [report](03-FINDINGS/report.md)');
    assert.deepEqual(where(await s.c.conn.sendRequest(DefinitionRequest.type, on(IN, 'Audit report:'))), [`${OUT}:${item}`]);
    assert.deepEqual(where(await s.c.conn.sendRequest(DefinitionRequest.type, on(IN, '../phase-1/03-FINDINGS'))), ['audit/phase-1/03-FINDINGS/report.md:0']);
    // A prerequisite, checked on both sides.
    assert.deepEqual(where(await s.c.conn.sendRequest(DefinitionRequest.type, on(IN, 'Audit report reviewed'))), [
      `${OUT}:${lineOf(OUT, '- [x] Audit report reviewed')}`,
    ]);
  });

  it('the references of an output handoff item: the item itself when asked, and the next phase items that receive it', async () => {
    const at = on(OUT, 'findings to remediate');
    const received = `${IN}:${lineOf(IN, '- Audit report:')}`;
    assert.deepEqual(where(await s.c.conn.sendRequest(ReferencesRequest.type, { ...at, context: { includeDeclaration: true } })), [
      `${OUT}:${at.position.line}`,
      received,
    ]);
    assert.deepEqual(where(await s.c.conn.sendRequest(ReferencesRequest.type, { ...at, context: { includeDeclaration: false } })), [received]);
    // Not an item of a handoff: no references.
    assert.deepEqual(
      where(await s.c.conn.sendRequest(ReferencesRequest.type, { ...on(OUT, 'Objectives achieved'), context: { includeDeclaration: true } })),
      [],
    );
  });

  it('a deliverable of the brief leads to the lines of the output handoff that address it, and a line of those back', async () => {
    const brief = 'audit/phase-1/00-PHASE_BRIEF.md';
    const summary = `${OUT}:${lineOf(OUT, '- Key deliverables:')}`;
    const artifact = `${OUT}:${lineOf(OUT, '- Test coverage analysis: [coverage]')}`;
    assert.deepEqual(where(await s.c.conn.sendRequest(DefinitionRequest.type, on(brief, 'Test coverage analysis'))), [summary, artifact]);
    assert.deepEqual(
      where(await s.c.conn.sendRequest(ReferencesRequest.type, { ...on(brief, 'Test coverage analysis'), context: { includeDeclaration: true } })),
      [`${brief}:${lineOf(brief, '- Test coverage analysis')}`, summary, artifact],
    );
    // Away from its link, an artifact produced leads to the deliverable it addresses; on the link, to its file.
    assert.deepEqual(where(await s.c.conn.sendRequest(DefinitionRequest.type, on(OUT, 'coverage per module'))), [
      `${brief}:${lineOf(brief, '- Test coverage analysis')}`,
    ]);
    assert.deepEqual(where(await s.c.conn.sendRequest(DefinitionRequest.type, on(OUT, '04-ARTIFACTS/coverage.md'))), [
      'audit/phase-1/04-ARTIFACTS/coverage.md:0',
    ]);
    // Its hover quotes them.
    const hover = (await s.c.conn.sendRequest(HoverRequest.type, on(brief, 'Test coverage analysis'))) as { contents: { value: string } } | null;
    assert.match(hover?.contents.value ?? '', /^\*\*Deliverable\*\* — addressed in the output handoff's summary or artifacts, `06-OUTPUT_HANDOFF.md`/);
    assert.match(hover?.contents.value ?? '', /- line \d+: Test coverage analysis: \[coverage\]/);
  });
});

describe('language server: definitions and references read the other side of a handoff as the editor holds it', function () {
  this.timeout(60_000);
  // Edits wait for their debounce long enough that only the request can apply them.
  const s = fixtureServer({ pull: true, settings: { validate: { debounceMs: 10_000 } } });
  const item = (text: string, line: string) => text.split('\n').findIndex((l) => l.startsWith(line));
  const lines = (ls: unknown) => ((ls ?? []) as Location[]).map((l) => l.range.start.line);

  it('an edit that moves the items of one side, just typed: the definition and the references are the items where they are now', async () => {
    const out = await s.c.open(OUT);
    const input = await s.c.open(IN);
    const onInput = { textDocument: { uri: input.uri }, position: { line: item(input.text, '- Audit report:'), character: 4 } };
    const onOutput = {
      textDocument: { uri: out.uri },
      position: { line: item(out.text, '- Audit report:'), character: 4 },
      context: { includeDeclaration: false },
    };
    assert.deepEqual(lines(await s.c.conn.sendRequest(DefinitionRequest.type, onInput)), [item(out.text, '- Audit report:')]);
    assert.deepEqual(lines(await s.c.conn.sendRequest(ReferencesRequest.type, onOutput)), [item(input.text, '- Audit report:')]);
    // Lines added above the items of the output handoff: the definition follows them.
    const outMoved = out.text.replace('## Phase 1 Summary', '## Context\n\nThree\nnew\nlines\n\n## Phase 1 Summary');
    await s.c.change(out.uri, outMoved);
    assert.deepEqual(lines(await s.c.conn.sendRequest(DefinitionRequest.type, onInput)), [item(outMoved, '- Audit report:')]);
    // Lines added above the items of the input handoff: the references follow them (the output's item where it is now).
    const inputMoved = input.text.replace('## Source', '## Notes\n\nTwo lines\n\n## Source');
    await s.c.change(input.uri, inputMoved);
    const movedOnOutput = { ...onOutput, position: { line: item(outMoved, '- Audit report:'), character: 4 } };
    assert.deepEqual(lines(await s.c.conn.sendRequest(ReferencesRequest.type, movedOnOutput)), [item(inputMoved, '- Audit report:')]);
  });
});
