/** `phasegate-disable…` directives over the protocol: diagnostics, the disable quick fixes, completion and hover. */
import * as assert from 'node:assert/strict';
import {
  CodeAction,
  CodeActionRequest,
  CompletionItem,
  CompletionList,
  CompletionRequest,
  Diagnostic,
  DocumentDiagnosticReport,
  DocumentDiagnosticRequest,
  Hover,
  HoverRequest,
  MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { applyWorkspaceEdit, startOnFixture, stopOnFixture, TestClient } from './client';

const BRIEF = 'audit/phase-1/00-PHASE_BRIEF.md';

const items = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : (r?.items ?? []));

describe('language server: directive comments', function () {
  this.timeout(60_000);
  let root: string;
  let c: TestClient;

  before(async () => {
    ({ root, c } = await startOnFixture({ pull: true }));
  });
  after(async () => {
    assert.deepEqual(await stopOnFixture(c, root), [], 'the server logged no errors');
  });

  async function pull(u: string): Promise<Diagnostic[]> {
    const r: DocumentDiagnosticReport = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } });
    return r.kind === 'full' ? r.items : [];
  }
  const complete = async (u: string, line: number, character: number) =>
    items(await c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: u }, position: { line, character } }));

  it('offers Disable … for this line after the repairs, and applying it silences the problem', async () => {
    const { uri: u, text } = await c.open(BRIEF);
    const broken = text.replace('- Code quality audit report', '- [report](missing-report.md)');
    await c.change(u, broken);
    const d = (await pull(u)).find((x) => x.code === 'broken-link');
    assert.ok(d, 'the broken link is reported');
    const actions = (await c.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: u },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    const line = titles.indexOf('Disable broken-link for this line');
    assert.ok(line > 0, `after the repair (create the file): ${titles.join(' | ')}`);
    assert.ok(titles.includes('Disable broken-link for this file'), titles.join(' | '));
    assert.equal(actions[line].isPreferred, undefined);
    const fixed = applyWorkspaceEdit(actions[line].edit!, new Map([[u, broken]])).get(u)!;
    await c.change(u, fixed);
    const after = await pull(u);
    assert.deepEqual(
      after.filter((x) => x.code === 'broken-link' || x.code === 'unused-directive'),
      [],
    );
    await c.change(u, text);
  });

  it('offers Disable … for this file once over a selection of several problems of the rule, naming them all', async () => {
    const { uri: u, text } = await c.open(BRIEF);
    const broken = text.replace('- Code quality audit report', '- [report](missing-report.md)\n- [notes](missing-notes.md)');
    await c.change(u, broken);
    const ds = (await pull(u)).filter((x) => x.code === 'broken-link');
    assert.equal(ds.length, 2);
    const all = broken.split('\n');
    const actions = (await c.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: u },
      range: { start: { line: 0, character: 0 }, end: { line: all.length - 1, character: 0 } },
      context: { diagnostics: ds, only: ['quickfix'] },
    })) as CodeAction[];
    const file = actions.filter((a) => a.title === 'Disable broken-link for this file');
    assert.equal(file.length, 1, actions.map((a) => a.title).join(' | '));
    assert.equal(file[0].diagnostics?.length, 2);
    assert.equal(actions.filter((a) => a.title === 'Disable broken-link for this line').length, 2);
    await c.change(u, text);
  });

  it('completes the directive after <!-- and the rules after it, those reported on the next line first', async () => {
    const { uri: u, text } = await c.open(BRIEF);
    const lines = text.replace('- Code quality audit report', '<!-- p -->\n- [report](missing-report.md)').split('\n');
    const at = lines.indexOf('<!-- p -->');
    await c.change(u, lines.join('\n'));
    const kinds = await complete(u, at, 6);
    assert.deepEqual(
      kinds.map((k) => k.label),
      ['phasegate-disable-next-line', 'phasegate-disable-line', 'phasegate-disable', 'phasegate-enable', 'phasegate-disable-file'],
    );
    assert.deepEqual(kinds[0].textEdit && 'range' in kinds[0].textEdit ? kinds[0].textEdit.range : undefined, {
      start: { line: at, character: 5 },
      end: { line: at, character: 6 },
    });
    lines[at] = '<!-- phasegate-disable-next-line  -->';
    await c.change(u, lines.join('\n'));
    // In the order the editor shows them (by sortText).
    const rules = (await complete(u, at, 33)).sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
    assert.equal(rules[0].label, 'broken-link');
    assert.equal(rules[0].preselect, true);
    assert.match(String(rules[0].detail), /reported 1× where this directive applies/);
    assert.ok(!rules.some((r) => r.label === 'unused-directive' || r.label === 'invalid-directive'));
    assert.ok(rules.some((r) => r.label === 'missing-section'));
    // After the reason separator nothing is offered; in a plain HTML comment, no directive.
    lines[at] = '<!-- phasegate-disable-next-line broken-link -- why  -->';
    await c.change(u, lines.join('\n'));
    assert.deepEqual(await complete(u, at, 53), []);
    lines[at] = '<!-- TODO -->';
    await c.change(u, lines.join('\n'));
    assert.ok(!(await complete(u, at, 9)).some((k) => String(k.label).startsWith('phasegate-')));
    // In a code span, the comment is text.
    lines[at] = 'Write `<!-- p` here';
    await c.change(u, lines.join('\n'));
    assert.ok(!(await complete(u, at, 13)).some((k) => String(k.label).startsWith('phasegate-')));
    // In front matter: in a YAML comment, not in a block scalar's text.
    const fm = text.replace('status: complete\n', 'status: complete\nnotes: |\n  # p\n# p\n').split('\n');
    await c.change(u, fm.join('\n'));
    const scalar = fm.indexOf('  # p');
    assert.ok(!(await complete(u, scalar, 5)).some((k) => String(k.label).startsWith('phasegate-')));
    assert.ok((await complete(u, scalar + 1, 3)).some((k) => k.label === 'phasegate-disable-next-line'));
    await c.change(u, text);
  });

  it('completes right before the closing --> without replacing its dashes', async () => {
    const { uri: u, text } = await c.open(BRIEF);
    const cases: [string, number, string, string][] = [
      ['<!-- phasegate-dis-->', 18, 'phasegate-disable-next-line', '<!-- phasegate-disable-next-line -->'],
      ['<!-- phasegate-disable-next-line brok-->', 37, 'broken-link', '<!-- phasegate-disable-next-line broken-link-->'],
      ['<!-- phasegate-disable-next-line bro-->', 36, 'broken-link', '<!-- phasegate-disable-next-line broken-link-->'],
      ['<!-- phasegate-disable-next-line br-->', 35, 'broken-link', '<!-- phasegate-disable-next-line broken-link-->'],
      ['<!-- phasegate-disable-next-line broken-link -->', 45, 'missing-section', '<!-- phasegate-disable-next-line broken-link missing-section-->'],
    ];
    for (const [directive, ch, label, expected] of cases) {
      const lines = text.replace('- Code quality audit report', `${directive}\n- [report](missing-report.md)`).split('\n');
      const at = lines.indexOf(directive);
      const edited = lines.join('\n');
      await c.change(u, edited);
      const item = (await complete(u, at, ch)).find((i) => i.label === label);
      assert.ok(item?.textEdit && 'range' in item.textEdit, `${directive} @ ${ch}: ${label} is offered`);
      const after = applyWorkspaceEdit({ changes: { [u]: [item.textEdit] } }, new Map([[u, edited]])).get(u)!;
      assert.equal(after.split('\n')[at], expected, `${directive} @ ${ch}`);
    }
    await c.change(u, text);
  });

  it("hovers a directive's rule id with its description and documentation link", async () => {
    const { uri: u, text } = await c.open(BRIEF);
    const lines = text.replace('- Code quality audit report', '<!-- phasegate-disable-next-line broken-link -- wiki -->\n- [r](missing.md)').split('\n');
    const at = lines.findIndex((l) => l.startsWith('<!-- phasegate'));
    await c.change(u, lines.join('\n'));
    const h = (await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: at, character: 36 } })) as Hover;
    const value = (h.contents as MarkupContent).value;
    assert.match(value, /\*\*broken-link\*\* \(error by default\)/);
    assert.match(value, /#rule-broken-link\)/);
    const k = (await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: at, character: 8 } })) as Hover;
    assert.match((k.contents as MarkupContent).value, /phasegate-disable-next-line\*\* — Silences .* on the next line\.\n\nReason: wiki/);
    await c.change(u, text);
  });
});
