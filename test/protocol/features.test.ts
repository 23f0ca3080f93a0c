import * as assert from 'node:assert/strict';
import {
  CodeLens,
  CodeLensRequest,
  CompletionItem,
  CompletionList,
  CompletionRequest,
  DefinitionRequest,
  DocumentLink,
  DocumentLinkRequest,
  DocumentSymbol,
  DocumentSymbolRequest,
  FoldingRange,
  FoldingRangeRequest,
  Hover,
  HoverRequest,
  Location,
  MarkupContent,
  SymbolInformation,
  WorkspaceSymbolRequest,
  TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startOnFixture, stopOnFixture, TestClient, uri } from './client';

const P2_INPUT = 'audit/phase-2/01-INPUT_HANDOFF.md';
const P1_VALIDATION = 'audit/phase-1/07-VALIDATION.md';

const labels = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : (r?.items ?? [])).map((i) => i.label);
const items = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : (r?.items ?? []));
const hoverText = (h: Hover | null) => (h ? (h.contents as MarkupContent).value : '');

describe('language server: editor features over stdio', function () {
  this.timeout(60_000);
  let root: string;
  let c: TestClient;

  before(async () => {
    ({ root, c } = await startOnFixture({ pull: true }));
  });
  after(async () => {
    assert.deepEqual(await stopOnFixture(c, root), [], 'the server logged no errors');
  });

  const complete = (u: string, line: number, character: number) =>
    c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: u }, position: { line, character } });

  it('completes front matter keys and enum values from the kind schema, with descriptions', async () => {
    const { uri: u, text } = await c.open('audit/phase-2/05-DECISIONS.md');
    // An empty line inside the front matter, then `status: `.
    await c.change(u, text.replace('status: in-progress\n', '\nstatus: \n'));
    const keys = items(await complete(u, 3, 0));
    assert.ok(
      keys.some((k) => k.label === 'owner'),
      labels(keys).join(),
    );
    assert.ok(!keys.some((k) => k.label === 'phase'), 'keys already present are not offered');
    assert.ok(
      keys.every((k) => k.documentation),
      'every key has its schema description',
    );
    const values = labels(await complete(u, 4, 8));
    assert.deepEqual(values, ['draft', 'in-progress', 'review', 'complete', 'blocked']);
    await c.change(u, text.replace('phase: phase-2', 'phase: '));
    const phases = labels(await complete(u, 1, 7));
    assert.ok(
      ['phase-1', 'phase-2', 'Build/Phase_1_CI'].every((p) => phases.includes(p)),
      phases.join(),
    );
    await c.change(u, text);
  });

  it("completes phase ids for the schemas' phase references: from, to and the items of depends_on", async () => {
    const others = ['phase-1', 'Build/Phase_1_CI'];
    for (const [rel, fm, line, ch, accepted, offered] of [
      [P2_INPUT, 'from: ', 4, 6, 'from: phase-1', others],
      ['audit/phase-2/06-OUTPUT_HANDOFF.md', 'to: ', 4, 4, 'to: phase-1', others],
      ['audit/phase-2/00-PHASE_BRIEF.md', 'depends_on:\n  - ', 5, 4, '  - phase-1', others],
      // A phase the list already holds is not offered again.
      ['audit/phase-2/00-PHASE_BRIEF.md', 'depends_on: [Build/Phase_1_CI, ph]', 4, 33, 'depends_on: [Build/Phase_1_CI, phase-1]', ['phase-1']],
    ] as const) {
      const { uri: u, text } = await c.open(rel);
      const edited = text.replace('status: in-progress\n', `status: in-progress\n${fm}\n`);
      await c.change(u, edited);
      const got = items(await complete(u, line, ch));
      assert.deepEqual(labels(got).sort(), [...offered].sort(), `${rel} ${fm}: the other phases, not the document's own`);
      const one = got.find((i) => i.label === 'phase-1')!;
      const next = TextDocument.applyEdits(TextDocument.create(u, 'markdown', 1, edited), [one.textEdit as TextEdit]);
      assert.equal(next.split('\n')[line], accepted);
      await c.change(u, text);
    }
  });

  it('completes the missing section headings after "## ", {N} expanded, in order', async () => {
    const rel = 'audit/phase-2/06-OUTPUT_HANDOFF.md';
    const { uri: u, text } = await c.open(rel);
    const cut = text.replace(/## Phase 3 Prerequisites[\s\S]*?## Recommended Next Steps/, '## Recommended Next Steps') + '\n## \n';
    await c.change(u, cut);
    const line = cut.split('\n').length - 2;
    const got = items(await complete(u, line, 3));
    assert.deepEqual(labels(got), ['Phase 3 Prerequisites', 'Phase 3 Inputs']);
    assert.match((got[1].documentation as MarkupContent).value, /Input:/);
    await c.change(u, text);
  });

  it('completes relative paths inside "](" and phase ids in text', async () => {
    const { uri: u, text } = await c.open(P2_INPUT);
    const line = '- More: [x](../phase-1/';
    await c.change(u, text + line + '\nSee phase-\n');
    const n = text.split('\n').length - 1;
    const paths = labels(await complete(u, n, line.length));
    assert.ok(paths.includes('03-FINDINGS/') && paths.includes('06-OUTPUT_HANDOFF.md'), paths.join());
    assert.ok(paths.indexOf('03-FINDINGS/') < paths.indexOf('00-PHASE_BRIEF.md'), 'folders first');
    const ids = labels(await complete(u, n + 1, 'See phase-'.length));
    assert.deepEqual(ids.sort(), ['phase-1', 'phase-2']);
    await c.change(u, text);
  });

  it("completes a link's anchor after `#`: the headings of the document it names, as GitHub writes their anchors", async () => {
    const { uri: u, text } = await c.open(P2_INPUT);
    const lines = ['- [x](../phase-1/06-OUTPUT_HANDOFF.md#', '- [x](../phase-1/06-OUTPUT_HANDOFF.md#phase-2-inp)', '- [x](#', '- [x](../phase-1/run.sh#'];
    await c.change(u, text + lines.join('\n') + '\n');
    const n = text.split('\n').length - 1;
    const got = items(await complete(u, n, lines[0].length));
    assert.deepEqual(
      got.slice(0, 3).map((i) => [i.label, (i.textEdit as TextEdit).newText]),
      [
        ['Phase 1 → Phase 2 Handoff', 'phase-1--phase-2-handoff'],
        ['Phase 1 Summary', 'phase-1-summary'],
        ['Critical Findings', 'critical-findings'],
      ],
    );
    // The whole fragment under the cursor is replaced.
    const inputs = items(await complete(u, n + 1, lines[1].length - 4)).find((i) => i.label === 'Phase 2 Inputs')!;
    const edit = inputs.textEdit as TextEdit;
    assert.deepEqual([edit.newText, edit.range.start.character, edit.range.end.character], ['phase-2-inputs', lines[1].indexOf('#') + 1, lines[1].length - 1]);
    // The document itself, its own headings.
    const own = labels(await complete(u, n + 2, lines[2].length));
    assert.ok(own.includes('Inputs Received') && !own.includes('Phase 1 Summary'), own.join());
    // Not Markdown: no anchors, and no paths either.
    assert.deepEqual(labels(await complete(u, n + 3, lines[3].length)), []);
    await c.change(u, text);
  });

  it('offers no heading for a gate checklist that is there under another accepted heading', async () => {
    const { uri: u, text } = await c.open(P1_VALIDATION);
    const body = '# Phase 1 Validation\n\n## Completeness\n\n- [x] Done: [x](00-PHASE_BRIEF.md)\n\n## 2. Quality\n\n- [x] Ok: [x](00-PHASE_BRIEF.md)\n\n## \n';
    await c.change(u, body);
    const got = labels(await complete(u, body.split('\n').length - 2, 3));
    assert.ok(!got.some((l) => /Completeness|Quality/.test(String(l))), got.join());
    assert.ok(got.includes('Gate 3: Documentation') && got.includes('Success Metrics'), got.join());
    await c.change(u, text);
  });

  it('completes paths through folders whose names have spaces, encoded in a bare target and as written in <…>', async () => {
    const dir = path.join(root, 'audit/phase-1/04-ARTIFACTS/My Notes');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'a (draft).md'), '# A\n');
    try {
      const { uri: u, text } = await c.open(P2_INPUT);
      const lines = ['- [x](../phase-1/04-ARTIFACTS/', '- [x](../phase-1/04-ARTIFACTS/My%20Notes/', '- [x](<../phase-1/04-ARTIFACTS/My Notes/'];
      await c.change(u, text + lines.join('\n') + '\n');
      const n = text.split('\n').length - 1;
      const edits = async (i: number) => items(await complete(u, n + i, lines[i].length)).map((x) => (x.textEdit as TextEdit).newText);
      assert.ok((await edits(0)).includes('My%20Notes/'), (await edits(0)).join());
      assert.deepEqual(await edits(1), ['a%20%28draft%29.md']);
      assert.deepEqual(await edits(2), ['a (draft).md']);
      await c.change(u, text);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it("answers in the client's units on the first line of a text sent with a byte order mark (one unit further)", async () => {
    const { uri: u, text } = await c.open(P2_INPUT);
    // The first line a heading with a link (no front matter), the rest as it was.
    const plain = text.replace(/^---\n[\s\S]*?\n---\n\n?/, '# Phase 2 Input [brief](00-PHASE_BRIEF.md)\n\n');
    const shift = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) => ({
      start: { line: r.start.line, character: r.start.character + (r.start.line === 0 ? 1 : 0) },
      end: { line: r.end.line, character: r.end.character + (r.end.line === 0 ? 1 : 0) },
    });
    const ask = async (at: number) => {
      const symbols = (await c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: u } })) as DocumentSymbol[];
      const links = ((await c.conn.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: u } })) ?? []) as DocumentLink[];
      const hover = (await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: 0, character: at } })) as Hover | null;
      const definition = (await c.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: u }, position: { line: 0, character: at } })) as Location[];
      return { symbol: symbols[0], link: links.find((l) => l.range.start.line === 0), hover, definition };
    };
    await c.change(u, plain);
    const at = plain.indexOf('brief') + 1;
    const without = await ask(at);
    assert.ok(without.symbol && without.link && without.hover?.range && without.definition.length, JSON.stringify(without));
    await c.change(u, '\uFEFF' + plain);
    const withBom = await ask(at + 1);
    assert.deepEqual(withBom.symbol.range, shift(without.symbol.range));
    assert.deepEqual(withBom.symbol.selectionRange, shift(without.symbol.selectionRange));
    assert.deepEqual(withBom.link!.range, shift(without.link!.range));
    assert.deepEqual(withBom.hover!.range, shift(without.hover!.range!));
    assert.deepEqual(withBom.definition, without.definition);
    // Completion of a directive on the first line: its edit in the client's units too.
    const edit = async (first: string, at: number) => {
      await c.change(u, first + plain);
      const item = items(await complete(u, 0, at)).find((i) => i.label === 'phasegate-disable-next-line');
      return (item?.textEdit as TextEdit).range;
    };
    assert.deepEqual(await edit('\uFEFF<!-- phasegate-dis -->\n', 19), shift(await edit('<!-- phasegate-dis -->\n', 18)));
    await c.change(u, text);
  });

  it('replaces the whole word or path name under the cursor, not only what precedes it', async () => {
    const { uri: u, text } = await c.open(P2_INPUT);
    const extra = ['See phase-2 now', '- [r](../phase-1/03-FINDINGS/report.md)'];
    const edited = text + extra.join('\n') + '\n';
    await c.change(u, edited);
    const n = text.split('\n').length - 1;
    const apply = (line: string, e: TextEdit) => line.slice(0, e.range.start.character) + e.newText + line.slice(e.range.end.character);
    const id = items(await complete(u, n, 'See phas'.length)).find((x) => x.label === 'phase-1')!;
    assert.equal(apply(extra[0], id.textEdit as TextEdit), 'See phase-1 now');
    const at = extra[1].indexOf('03-FIN') + '03-FIN'.length;
    const folder = items(await complete(u, n + 1, at)).find((x) => x.label === '04-ARTIFACTS/')!;
    assert.equal(apply(extra[1], folder.textEdit as TextEdit), '- [r](../phase-1/04-ARTIFACTS/report.md)');
    await c.change(u, text);
  });

  it('hovers: schema descriptions on front matter keys, a phase summary on phase references, the spec on headings', async () => {
    const u = uri(root, P2_INPUT);
    const key = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: 3, character: 2 } });
    assert.match(hoverText(key), /Where the document stands/);
    const link = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: 10, character: 60 } });
    assert.match(hoverText(link), /\*\*phase-1\*\*/);
    assert.match(hoverText(link), /Status: \*\*In progress\*\*/);
    assert.match(hoverText(link), /Review: pending/);
    const word = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: 10, character: 20 } });
    assert.match(hoverText(word), /\*\*phase-1\*\*/);
    const heading = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: 12, character: 5 } });
    assert.match(hoverText(heading), /One item per input/);
    const none = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: 14, character: 70 } });
    assert.equal(none, null);
  });

  it('resolves document links and goes to definitions of links and phase ids', async () => {
    const u = uri(root, P2_INPUT);
    const links = (await c.conn.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: u } })) as DocumentLink[];
    const targets = links.map((l) => l.target);
    assert.ok(targets.includes(uri(root, 'audit/phase-1/06-OUTPUT_HANDOFF.md')), targets.join());
    assert.ok(targets.includes(uri(root, 'audit/phase-1/03-FINDINGS/report.md')), targets.join());
    const src = links.find((l) => l.target === uri(root, 'audit/phase-1/06-OUTPUT_HANDOFF.md'))!;
    assert.deepEqual(src.range, { start: { line: 10, character: 50 }, end: { line: 10, character: 81 } });
    const def = (await c.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: u }, position: { line: 10, character: 60 } })) as Location[];
    assert.equal(def[0].uri, uri(root, 'audit/phase-1/06-OUTPUT_HANDOFF.md'));
    const phase = (await c.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: u }, position: { line: 10, character: 20 } })) as Location[];
    assert.equal(phase[0].uri, uri(root, 'audit/phase-1/00-PHASE_BRIEF.md'));
    // A link to a phase folder leads to the phase's first document, and hovers with its summary.
    const { text } = await c.open(P2_INPUT);
    await c.change(u, text + '\nSee [the previous phase](../phase-1/).\n');
    const line = text.split('\n').length;
    const folderLinks = (await c.conn.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: u } })) as DocumentLink[];
    assert.ok(folderLinks.some((l) => l.range.start.line === line && l.target === uri(root, 'audit/phase-1/00-PHASE_BRIEF.md')));
    const hover = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line, character: 8 } });
    assert.match(hoverText(hover), /\*\*phase-1\*\*/);
    // Backslash escapes in the target are read as Markdown reads them.
    await c.change(u, text + '\nSee [the previous phase](../phase\\-1/).\n');
    const escaped = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line, character: 8 } });
    assert.match(hoverText(escaped), /\*\*phase-1\*\*/);
    await c.change(u, text);
  });

  it('lists document symbols as the section outline, and phases and documents as workspace symbols', async () => {
    const u = uri(root, P1_VALIDATION);
    const syms = (await c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: u } })) as DocumentSymbol[];
    assert.deepEqual(
      syms.map((s) => s.name),
      ['Front matter', 'Phase 1 Validation'],
    );
    const gates = syms[1].children!.map((s) => s.name);
    assert.deepEqual(gates.slice(0, 2), ['Gate 1: Completeness', 'Gate 2: Quality']);
    assert.deepEqual(syms[1].children![4].selectionRange, { start: { line: 24, character: 3 }, end: { line: 24, character: 17 } });
    const ws = (await c.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'phase' })) as SymbolInformation[];
    const names = ws.map((s) => s.name);
    assert.ok(
      ['phase-1', 'phase-2', 'Build/Phase_1_CI'].every((id) => names.some((n) => n.startsWith(id))),
      names.join(),
    );
    const docs = (await c.conn.sendRequest(WorkspaceSymbolRequest.type, { query: '07-VALID' })) as SymbolInformation[];
    assert.deepEqual(
      docs.map((s) => [s.name, s.containerName]),
      [['07-VALIDATION.md', 'phase-1']],
    );
    assert.equal(docs[0].location.uri, u);
  });

  it('reads a position past the end of its line as the end (completion edits and hover ranges stay in the document)', async () => {
    const { uri: u, text } = await c.open('audit/phase-1/05-DECISIONS.md');
    const edited = '---\nphase: 1\n\n---\n# Phase 1 Decisions\n<!--\nSee phase-2\n';
    await c.change(u, edited);
    const lines = edited.split('\n');
    const hover = (line: number, character: number) => c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line, character } });
    // An empty front matter line (keys), after `<!--` (directives), after a phase id (hover).
    for (const line of [2, 5]) {
      const end = lines[line].length;
      const past = items(await complete(u, line, end + 4));
      assert.ok(past.length > 0, `completion on line ${line}`);
      assert.deepEqual(past, items(await complete(u, line, end)), `line ${line}: as at its end`);
      for (const i of past) assert.ok((i.textEdit as TextEdit).range.end.character <= end, JSON.stringify(i.textEdit));
    }
    const atEnd = await hover(6, lines[6].length);
    assert.ok(atEnd?.range, 'a phase id ending the line');
    assert.deepEqual(await hover(6, lines[6].length + 3), atEnd);
    await c.change(u, text);
  });

  it('folds sections, the front matter and checklists', async () => {
    const u = uri(root, P1_VALIDATION);
    const folds = (await c.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: u } })) as FoldingRange[];
    const has = (s: number, e: number) => folds.some((f) => f.startLine === s && f.endLine === e);
    assert.ok(has(0, 4), 'front matter');
    assert.ok(has(24, 27), 'Gate 5 section');
    assert.ok(has(26, 27), 'Gate 5 checklist');
    assert.ok(has(6, 37), 'the H1 section');
  });

  it('shows sections written as bold labels in the outline, folds them and hovers them as headings', async () => {
    const { uri: u, text } = await c.open('audit/phase-2/00-PHASE_BRIEF.md');
    // The seed's phase definition: labels for the Objectives (its alias Output) and the Deliverables.
    const edited = text.replace(
      /## Objectives[\s\S]*?(?=## Risks)/,
      '**Output**: Raised coverage\n**Handoff**: `phase-2/06-OUTPUT_HANDOFF.md`\n\n**Deliverables**:\n- Integration test suite\n- Quality gates\n\n',
    );
    await c.change(u, edited);
    const lines = edited.split('\n');
    const line = (s: string) => lines.findIndex((l) => l.startsWith(s));
    const syms = (await c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: u } })) as DocumentSymbol[];
    assert.deepEqual(
      syms[1].children!.map((s) => s.name),
      ['Output', 'Deliverables', 'Risks'],
    );
    const deliverables = syms[1].children![1];
    assert.deepEqual(deliverables.range, { start: { line: line('**Deliverables'), character: 0 }, end: { line: line('- Quality'), character: 15 } });
    assert.deepEqual(deliverables.selectionRange, {
      start: { line: line('**Deliverables'), character: 2 },
      end: { line: line('**Deliverables'), character: 14 },
    });
    const folds = (await c.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: u } })) as FoldingRange[];
    assert.ok(
      folds.some((f) => f.startLine === line('**Deliverables') && f.endLine === line('- Quality')),
      JSON.stringify(folds),
    );
    const h = await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: line('**Deliverables'), character: 4 } });
    assert.match(hoverText(h), /\*\*Deliverables\*\* — Required section of the Phase brief/);
    await c.change(u, text);
  });

  it('answers requests for documents outside any workspace folder without failing', async () => {
    const outside = 'file:///nowhere/else.md';
    assert.deepEqual(await c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: outside } }), []);
    assert.equal(await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: 'untitled:Untitled-1' }, position: { line: 0, character: 0 } }), null);
    assert.deepEqual(labels(await complete(outside, 0, 0)), []);
    assert.deepEqual(await c.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: uri(root, 'audit/phase-1/missing.md') } }), []);
  });

  it('shows code lenses with gate status on gate checklists and phase status on prompt/response titles', async () => {
    const u = uri(root, P1_VALIDATION);
    const lenses = (await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: u } })) as CodeLens[];
    assert.equal(lenses.length, 6);
    assert.ok(lenses.every((l) => l.command?.command === 'phasegate.showGate'));
    const review = lenses.find((l) => l.range.start.line === 24)!;
    assert.match(review.command!.title, /Review: pending · 1\/2 checked/);
    assert.equal(review.command!.arguments![0].phaseId, 'phase-1');
    assert.equal(review.command!.arguments![0].gate, 'Review');
    const resp = uri(root, 'project/workstreams/Build/Phase_1_CI/implementation_response_from_AI.md');
    const rl = (await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: resp } })) as CodeLens[];
    const title = rl.find((l) => l.command?.command === 'phasegate.showPhase');
    assert.ok(title, rl.map((l) => l.command?.title).join());
    assert.match(title.command!.title, /^Build\/Phase_1_CI: (Complete|In progress|Blocked|Not started)/);
  });

  it("shows a gate's status after another open document's edit still waiting to be applied", async () => {
    const v = uri(root, P1_VALIDATION);
    const completeness = async () =>
      ((await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: v } })) as CodeLens[]).find((l) => /Completeness/.test(l.command!.title))!
        .command!.title;
    const before = await completeness();
    assert.doesNotMatch(before, /failed/);
    // The brief loses a required section; the lens is asked for at once, before the edit's debounce ran.
    const { uri: b, text } = await c.open('audit/phase-1/00-PHASE_BRIEF.md');
    await c.change(b, text.replace(/## Scope[\s\S]*?(?=\n## )/, ''));
    assert.match(await completeness(), /Completeness: failed/);
    await c.change(b, text);
    assert.equal(await completeness(), before);
  });
});
