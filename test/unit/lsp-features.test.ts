/**
 * The language server's editor features (server/src/lsp) on an engine over an in-memory workspace laid
 * out as the audit seed's `audit-deployment/` (phase folders at the root) beside an iAI workstream.
 */
import * as assert from 'node:assert/strict';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { CompletionItem, DocumentLink, DocumentSymbol, FoldingRange, Hover, Location, MarkupContent, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerContext, Target } from '../../server/src/lsp/context';
import { complete } from '../../server/src/lsp/completion';
import { hover } from '../../server/src/lsp/hover';
import { foldingRanges } from '../../server/src/lsp/folding';
import { kindLabels } from '../../server/src/lsp/labels';
import { definition, documentLinks } from '../../server/src/lsp/links';
import { documentSymbols } from '../../server/src/lsp/symbols';
import type { Settings } from '../../server/src/lsp/settings';
import type { Folder, Workspaces } from '../../server/src/lsp/workspaces';
import { pathToUri } from '../../server/src/lsp/uri';
import type { PhasegateService } from '../../server/src/service';
import { ROOT, caret, diagnosticsOf, workspace } from '../helpers/workspace';
import { MAX_PARSE_BYTES } from '../../server/src/service/markdown';

const BRIEF = (n: number) => `---\nphase: ${n}\nstatus: in-progress\n---\n\n# Phase ${n}: Work\n\n## Objectives\n\nDo the work.\n`;

/** The files every test starts from: two audit phases and an iAI phase. */
const FILES: Record<string, string> = {
  'phase-1/00-PHASE_BRIEF.md': BRIEF(1),
  'phase-1/05-DECISIONS.md': '# Phase 1 Decisions\n',
  'phase-1/06-OUTPUT_HANDOFF.md': '# Phase 1 Output Handoff\n',
  'phase-2/00-PHASE_BRIEF.md': BRIEF(2),
  'phase-2/06-OUTPUT_HANDOFF.md': '# Phase 2 Output Handoff\n',
  'workstreams/Test/Phase_1_Unit_Testing/implementation_prompt.md': '# Phase 1: Unit Testing\n',
};

/** The server's view of one document of a workspace: `files` over FILES, `rel` relative to the root. */
async function target(rel: string, text: string, files: Record<string, string> = {}): Promise<{ t: Target; svc: PhasegateService }> {
  const { svc } = await workspace({ ...FILES, ...files, [rel]: text });
  const path = `${ROOT}/${rel}`;
  const folder = { path: ROOT, svc } as Folder;
  return { t: { uri: pathToUri(path), path, folder, svc, doc: svc.getDocument(path) }, svc };
}

const ctx = new ServerContext({} as Connection, {} as TextDocuments<TextDocument>, {} as Workspaces, {} as Settings);

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const hoverText = (h: Hover | null) => (h ? (h.contents as MarkupContent).value : '');
const at = (locations: Location[]) => locations.map((l) => l.uri);
const fileUri = (rel: string) => pathToUri(`${ROOT}/${rel}`);

describe('language server features on the seeds\u2019 notation', () => {
  describe('backticked paths', () => {
    it('in a fenced code block lead nowhere: no definition, no hover (as no document link)', async () => {
      const text = [
        '# Phase 2 Notes',
        '',
        '```markdown',
        '[in code block](../phase-1/00-PHASE_BRIEF.md)',
        '`../phase-1/05-DECISIONS.md`',
        '```',
        '',
        'Outside: `../phase-1/05-DECISIONS.md`',
        '',
      ].join('\n');
      const { t } = await target('phase-2/02-EXECUTION_PLAN.md', text);
      for (const line of [3, 4]) {
        const ch = t.doc!.lines[line].indexOf('phase-1') + 2;
        assert.deepEqual(definition(ctx, t, line, ch), [], `definition on line ${line}`);
        assert.equal(hover(t, line, ch), null, `hover on line ${line}`);
      }
      assert.deepEqual(
        documentLinks(ctx, t).map((l: DocumentLink) => l.range.start.line),
        [7],
      );
      // The same path outside the block leads to phase 1.
      const ch = t.doc!.lines[7].indexOf('phase-1') + 2;
      assert.deepEqual(at(definition(ctx, t, 7, ch)), [fileUri('phase-1/05-DECISIONS.md')]);
      assert.match(hoverText(hover(t, 7, ch)), /\*\*phase-1\*\*/);
    });
  });

  describe('phase references', () => {
    it('in a fenced code block are code: no definition, no hover; in prose they lead to the phase', async () => {
      const text = ['# Phase 2 Notes', '', '```bash', 'make phase-1', '```', '', 'After phase-1.', ''].join('\n');
      const { t } = await target('phase-2/02-EXECUTION_PLAN.md', text);
      const ch = t.doc!.lines[3].indexOf('phase-1') + 2;
      assert.deepEqual(definition(ctx, t, 3, ch), []);
      assert.equal(hover(t, 3, ch), null);
      const prose = t.doc!.lines[6].indexOf('phase-1') + 2;
      assert.match(hoverText(hover(t, 6, prose)), /\*\*phase-1\*\*/);
      assert.equal(definition(ctx, t, 6, prose).length, 1);
    });
  });

  describe('backticked paths with a line', () => {
    it('lead to that line of the file (`04-ARTIFACTS/scan.py:12`, also with a column)', async () => {
      const text = '# R\n\nSee `04-ARTIFACTS/scan.py:12` and `scan.py:3:5`, not `04-ARTIFACTS/none.py:2`.\n';
      const { t } = await target('phase-1/07-VALIDATION.md', text, { 'phase-1/04-ARTIFACTS/scan.py': 'x\n', 'phase-1/scan.py': 'y\n' });
      assert.deepEqual(
        documentLinks(ctx, t).map((l) => [l.range.start.character, l.target]),
        [
          [5, `${fileUri('phase-1/04-ARTIFACTS/scan.py')}#L12`],
          [35, `${fileUri('phase-1/scan.py')}#L3`],
        ],
      );
      const [loc] = definition(ctx, t, 2, 10);
      assert.deepEqual([loc.uri, loc.range.start.line], [fileUri('phase-1/04-ARTIFACTS/scan.py'), 11]);
    });
  });

  describe('a document too large to be read as Markdown', () => {
    it('has no document links (its links and code blocks are not read), and a backticked path still leads to its file', async () => {
      const line = 'See [the brief](00-PHASE_BRIEF.md) and `phase-1/00-PHASE_BRIEF.md`.';
      const text = `# R\n\n${line}\n\n${'x'.repeat(MAX_PARSE_BYTES)}\n`;
      const { t } = await target('phase-1/07-VALIDATION.md', text);
      assert.equal(t.doc!.modelled, false);
      assert.deepEqual(documentLinks(ctx, t), []);
      // Go to definition reads the line asked about only.
      assert.deepEqual(
        definition(ctx, t, 2, line.indexOf('phase-1/') + 2).map((l) => l.uri),
        [fileUri('phase-1/00-PHASE_BRIEF.md')],
      );
    });
  });

  describe('backticked paths relative to the folder that holds the phases, the workspace being above it', () => {
    it('lead to the phase folder of that folder, before one of the workspace root', async () => {
      const files = {
        'audit-deployment/phase-1/00-PHASE_BRIEF.md': BRIEF(1),
        'audit-deployment/phase-2/00-PHASE_BRIEF.md': BRIEF(2),
        'audit-deployment/phase-2/06-OUTPUT_HANDOFF.md': '# Phase 2 Output Handoff\n',
      };
      const { t } = await target('audit-deployment/phase-1/03-FINDINGS/r.md', '# R\n\nNext: `phase-2/06-OUTPUT_HANDOFF.md`\n', files);
      assert.deepEqual(at(definition(ctx, t, 2, 10)), [fileUri('audit-deployment/phase-2/06-OUTPUT_HANDOFF.md')]);
    });
  });

  describe('backticked paths relative to the folder that holds the phases', () => {
    it('lead where missing-artifact looks: the document folder, the phase folder, the workspace root', async () => {
      const lines = [
        '# Phase 1: Work',
        '',
        '**Handoff**: `phase-1/06-OUTPUT_HANDOFF.md`',
        'Next: `phase-2/06-OUTPUT_HANDOFF.md`',
        'A link is relative to its document: [next](phase-2/06-OUTPUT_HANDOFF.md)',
        'Near: `notes.md`, `04-ARTIFACTS/cov.md`, and none: `phase-9/x.md`',
        '',
      ];
      const files = {
        'phase-1/03-FINDINGS/notes.md': '# Notes\n',
        'phase-1/04-ARTIFACTS/cov.md': '# Coverage\n',
        'notes.md': '# Notes at the root\n',
      };
      const { t } = await target('phase-1/03-FINDINGS/report.md', lines.join('\n'), files);
      const links = documentLinks(ctx, t).map((l) => [l.range.start.line, l.range.start.character, l.target]);
      assert.deepEqual(links, [
        [2, 14, fileUri('phase-1/06-OUTPUT_HANDOFF.md')],
        [3, 7, fileUri('phase-2/06-OUTPUT_HANDOFF.md')],
        [5, 7, fileUri('phase-1/03-FINDINGS/notes.md')],
        [5, 19, fileUri('phase-1/04-ARTIFACTS/cov.md')],
      ]);
      const on = (line: number, text: string) => [line, lines[line].indexOf(text) + 2] as const;
      assert.deepEqual(at(definition(ctx, t, ...on(3, 'phase-2'))), [fileUri('phase-2/06-OUTPUT_HANDOFF.md')]);
      assert.match(hoverText(hover(t, ...on(3, 'phase-2'))), /\*\*phase-2\*\*/);
      // The link's target is phase-1/03-FINDINGS/phase-2/…, which is not there; its text's phase id is.
      assert.deepEqual(at(definition(ctx, t, ...on(4, '(phase-2'))), []);
      assert.equal(hover(t, ...on(4, '(phase-2')), null);
      assert.deepEqual(at(definition(ctx, t, ...on(5, '`04-'))), [fileUri('phase-1/04-ARTIFACTS/cov.md')]);
    });
  });

  describe('path completion', () => {
    it('offers no path inside an inline code span, nor in a fenced code block; in text it does', async () => {
      const lines = ['# Phase 2 Plan', '', '`[x](../` ph `phase-`', '', '```', '[x](../', '```', '', '[x](../'];
      const { t } = await target('phase-2/02-EXECUTION_PLAN.md', lines.join('\n') + '\n');
      const afterDots = (line: number) => lines[line].indexOf('../') + 3;
      assert.deepEqual(labels(await complete(t, 2, afterDots(2))), [], 'in a code span');
      assert.deepEqual(labels(await complete(t, 5, afterDots(5))), [], 'in a code block');
      const text = labels(await complete(t, 8, afterDots(8)));
      assert.ok(text.includes('phase-1/'), text.join());
    });
  });

  describe('path completion in a code span over several lines', () => {
    it('offers no path inside a span its paragraph opens on an earlier line and closes on a later one; beyond its paragraph it does', async () => {
      const lines = [
        '# Phase 2 Plan',
        '',
        'See `the',
        '[x](../ and',
        'more` here.',
        '',
        '> Quoted `a',
        '> [x](../` b',
        '',
        '- Item `code',
        '  [x](../` end',
        '',
        'Never `closed',
        '[x](../',
        '',
        'Ended by a blank line `a',
        '',
        '[x](../` b',
        '',
        '## Heading `a',
        '[x](../` b',
      ];
      const { t } = await target('phase-2/02-EXECUTION_PLAN.md', lines.join('\n') + '\n');
      const afterDots = (line: number) => lines[line].indexOf('../') + 3;
      for (const line of [3, 7, 10]) assert.deepEqual(labels(await complete(t, line, afterDots(line))), [], `in a code span: ${lines[line]}`);
      for (const line of [13, 17, 20]) {
        const text = labels(await complete(t, line, afterDots(line)));
        assert.ok(text.includes('phase-1/'), `not in a code span: ${lines[line]}: ${text.join()}`);
      }
    });
  });

  describe('path completion of names with #, ?, % and spaces', () => {
    it('writes each name so that the link leads to the file (no broken link), bare and in <…>', async () => {
      const names = ['C#-notes.md', 'q?.md', '50%.md', 'a b (1).md'];
      const files = Object.fromEntries(names.map((n) => [`phase-2/04-ARTIFACTS/${n}`, '# Notes\n']));
      const rel = 'phase-2/02-EXECUTION_PLAN.md';
      for (const open of ['[x](04-ARTIFACTS/', '[x](<04-ARTIFACTS/']) {
        const head = '# Phase 2 Plan\n\n';
        const { t } = await target(rel, `${head}${open}\n`, files);
        const offered = await complete(t, 2, open.length);
        for (const name of names) {
          const item = offered.find((i) => i.label === name);
          assert.ok(item?.textEdit, `${open}: ${name} is offered`);
          const written = item.textEdit.newText;
          const link = `${open}${written}${open.includes('<') ? '>' : ''})`;
          const { svc } = await workspace({ ...FILES, ...files, [rel]: `${head}${link}\n` });
          assert.deepEqual(
            diagnosticsOf(svc, rel, 'broken-link').map((d) => d.message),
            [],
            link,
          );
          const { t: linked } = await target(rel, `${head}${link}\n`, files);
          assert.deepEqual(
            documentLinks(ctx, linked).map((l) => l.target),
            [fileUri(`phase-2/04-ARTIFACTS/${name}`)],
            link,
          );
        }
      }
    });
  });

  describe('phase id completion in text', () => {
    it('offers ids for a word that reads as the start of one, not for an ordinary word', async () => {
      const words: [string, string[]][] = [
        ['te^xt', []],
        ['te^', []],
        ['unit^', []],
        ['Te^', ['Test/Phase_1_Unit_Testing']],
        ['Te^sting', ['Test/Phase_1_Unit_Testing']],
        ['test/^', ['Test/Phase_1_Unit_Testing']],
        ['ph^', ['phase-1', 'phase-2']],
        ['Phase^', ['phase-1', 'phase-2']],
        ['phase-^', ['phase-1', 'phase-2']],
        ['phase-2^', []],
        ['photo^', []],
      ];
      for (const [word, want] of words) {
        const { text, pos } = caret(`---\nphase: 2\nstatus: in-progress\n---\n\n# Phase 2: Work\n\nSee ${word} here.\n`);
        const { t } = await target('phase-2/02-EXECUTION_PLAN.md', text);
        assert.deepEqual(labels(await complete(t, pos.line, pos.character)), want, word);
      }
      // The audit's report: a body line \`text\`, completion at 6:2.
      const { t } = await target('phase-2/02-EXECUTION_PLAN.md', '---\nphase: 2\n---\n\n# Phase 2: Work\n\ntext\n');
      assert.deepEqual(labels(await complete(t, 6, 2)), []);
    });
  });

  describe('front matter completion of a list of phases', () => {
    it('leaves out the phases the list already holds, in a flow list and in a block list', async () => {
      const cases: [string, string][] = [
        ['depends_on: [phase-1, ^]', 'Test/Phase_1_Unit_Testing'],
        ['depends_on: [phase-1, ph^]', 'Test/Phase_1_Unit_Testing'],
        ['depends_on: ["Phase-1", ^] # after', 'Test/Phase_1_Unit_Testing'],
        ['depends_on: [ph^, Test/Phase_1_Unit_Testing]', 'phase-1'],
        ['depends_on:\n  - phase-1 # first\n  - ^', 'Test/Phase_1_Unit_Testing'],
        ['depends_on:\n  - ^\n  - "Test/Phase_1_Unit_Testing"', 'phase-1'],
        ['depends_on:\n- phase-1\n- ^', 'Test/Phase_1_Unit_Testing'],
      ];
      for (const [fm, want] of cases) {
        const { text, pos } = caret(`---\nphase: 2\n${fm}\nstatus: in-progress\n---\n\n# Phase 2: Work\n`);
        const { t } = await target('phase-2/00-PHASE_BRIEF.md', text);
        assert.deepEqual(labels(await complete(t, pos.line, pos.character)), [want], fm);
      }
    });
  });

  describe('heading completion', () => {
    it('leaves out a gate whose checklist is written as labelled items, as the structure rule does', async () => {
      const lines = [
        '---',
        'phase: 1',
        'status: in-progress',
        '---',
        '',
        '# Phase 1 Validation',
        '',
        '## Validation Gates',
        '',
        '- [x] **Completeness**: All deliverables produced \u2014 Evidence: [r](05-DECISIONS.md)',
        '- [x] **Quality**: Criteria met \u2014 Evidence: [r](05-DECISIONS.md)',
        '- [x] **Documentation:** Decisions documented \u2014 Evidence: [r](05-DECISIONS.md)',
        '1. [x] **Testing**: Tests pass \u2014 Evidence: [r](05-DECISIONS.md)',
        '- [x] **Review:** Reviewed \u2014 Evidence: [r](05-DECISIONS.md)',
        '',
        '## ',
        '',
      ];
      const rel = 'phase-1/07-VALIDATION.md';
      const { t, svc } = await target(rel, lines.join('\n'));
      const missing = diagnosticsOf(svc, rel, 'missing-section').map((d) => d.message);
      assert.deepEqual(missing, ['Missing section "## Gate 6: Approval".']);
      assert.deepEqual(labels(await complete(t, 15, 3)), ['Gate 6: Approval', 'Success Metrics']);
    });
  });

  describe('hover ranges', () => {
    const holds = (r: Range | undefined, line: number, ch: number) =>
      !!r &&
      (r.start.line < line || (r.start.line === line && r.start.character <= ch)) &&
      (r.end.line > line || (r.end.line === line && r.end.character >= ch));

    it("hold the position hovered: a heading's markers, a label's asterisks, a deliverable's bullet", async () => {
      const brief = `${BRIEF(1)}\n## Deliverables\n\n- Audit report\n`;
      const { t } = await target('phase-1/00-PHASE_BRIEF.md', brief);
      const lines = brief.split('\n');
      const cases: [number, number][] = [
        [lines.indexOf('# Phase 1: Work'), 0],
        [lines.indexOf('## Objectives'), 1],
        [lines.indexOf('## Objectives'), 6],
        [lines.indexOf('- Audit report'), 0],
        [lines.indexOf('- Audit report'), 5],
      ];
      const prompt = [
        '# Phase 1: Unit Testing',
        '',
        '- **Phase 1: Unit Testing (iAI Prompt-Driven)**',
        '    - **Description:** Develop unit tests',
        '    - **Key Activities (via iAI Prompt):** Write tests, wire CI.',
        '',
      ];
      const iai = await target('workstreams/Test/Phase_1_Unit_Testing/implementation_prompt.md', prompt.join('\n'));
      for (const [line, ch] of cases) {
        const h = hover(t, line, ch);
        assert.ok(h, `a hover at ${line}:${ch}`);
        assert.ok(holds(h.range, line, ch), `${line}:${ch} in ${JSON.stringify(h.range)}`);
      }
      // On the label's first asterisk, and on its text.
      for (const ch of [6, 10]) {
        const h = hover(iai.t, 4, ch);
        assert.match(hoverText(h), /^\*\*Deliverables\*\*/);
        assert.ok(holds(h!.range, 4, ch), `4:${ch} in ${JSON.stringify(h!.range)}`);
      }
      // On its text alone, the range is the text's: only grown to where the mouse is.
      assert.deepEqual(hover(t, lines.indexOf('## Objectives'), 6)?.range, {
        start: { line: lines.indexOf('## Objectives'), character: 3 },
        end: { line: lines.indexOf('## Objectives'), character: 13 },
      });
    });
  });

  describe('sections written as bold labels', () => {
    /** The outline and folds as the server gives them: the labels that stand for the kind's sections. */
    const outline = (t: Target) => {
      const labelled = kindLabels(t.svc, t.path, t.doc!).map((l) => l.section);
      return { symbols: documentSymbols(t.doc!, labelled), folds: foldingRanges(t.doc!, labelled) };
    };
    const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
    const holds = (outer: Range, inner: Range) => before(outer.start, inner.start) && before(inner.end, outer.end);
    /** LSP's invariants: a selection range inside its range, children inside their parent; folds valid, one per start line. */
    const assertValid = (t: Target, symbols: DocumentSymbol[], folds: FoldingRange[]) => {
      const walk = (xs: DocumentSymbol[], parent?: DocumentSymbol) => {
        for (const x of xs) {
          assert.ok(holds(x.range, x.selectionRange), `${x.name}: selection range inside its range`);
          if (parent) assert.ok(holds(parent.range, x.range), `${x.name} inside ${parent.name}`);
          assert.ok(x.range.end.line < t.doc!.lines.length && x.range.end.character <= t.doc!.lines[x.range.end.line].length, `${x.name} in the document`);
          walk(x.children ?? [], x);
        }
      };
      walk(symbols);
      for (const f of folds) assert.ok(f.startLine < f.endLine && f.endLine < t.doc!.lines.length, JSON.stringify(f));
      assert.equal(new Set(folds.map((f) => f.startLine)).size, folds.length, 'no two folds start on one line');
    };
    const tree = (xs: DocumentSymbol[]): unknown[] => xs.map((x) => (x.children?.length ? [x.name, tree(x.children)] : x.name));

    it('in an audit brief (the seed\u2019s phase definitions): in the outline, folded, with the section\u2019s hover', async () => {
      const lines = [
        '---',
        'phase: 1',
        'status: in-progress',
        '---',
        '',
        '# Phase 1: Foundation Audit & Baseline',
        '',
        '**Input**: Current codebase',
        '**Output**: Audit report, baseline metrics',
        '**Handoff**: `phase-1/06-OUTPUT_HANDOFF.md`',
        '',
        '**Deliverables**:',
        '- Code quality audit report',
        '- Dependency vulnerability scan',
        '',
        '**Scope**:',
        '- In scope: the package',
        '',
        '## Success Metrics',
        '',
        '| Metric | Target |',
        '| --- | --- |',
        '| Coverage | > 80% |',
        '',
      ];
      const { t } = await target('phase-1/00-PHASE_BRIEF.md', lines.join('\n'));
      const { symbols, folds } = outline(t);
      assertValid(t, symbols, folds);
      // Input and Handoff name no section of a brief: bold text, not sections.
      assert.deepEqual(tree(symbols), [
        ['Front matter', ['phase', 'status']],
        ['Phase 1: Foundation Audit & Baseline', ['Output', 'Deliverables', 'Scope', 'Success Metrics']],
      ]);
      const deliverables = symbols[1].children![1];
      assert.deepEqual(deliverables.range, { start: { line: 11, character: 0 }, end: { line: 13, character: 31 } });
      assert.deepEqual(deliverables.selectionRange, { start: { line: 11, character: 2 }, end: { line: 11, character: 14 } });
      assert.equal(deliverables.kind, symbols[1].children![3].kind, 'a label is a section as a heading is');
      const labelFolds = folds.filter((f) => f.startLine >= 7 && f.startLine < 18).map((f) => [f.startLine, f.endLine]);
      assert.deepEqual(labelFolds, [
        [11, 13],
        [15, 16],
      ]);
      // Hover on the label shows its section's spec, as on a heading.
      const on = (line: number, text: string) => hover(t, line, lines[line].indexOf(text) + 1);
      assert.match(hoverText(on(11, 'Deliverables')), /^\*\*Deliverables\*\* \u2014 Required section of the Phase brief\.\n\nOne item per deliverable/);
      assert.deepEqual(on(11, 'Deliverables')!.range, deliverables.selectionRange);
      assert.match(hoverText(on(8, '**Output')), /^\*\*Objectives\*\* \u2014 Required section/);
      assert.match(hoverText(on(18, 'Success')), /^\*\*Success Metrics\*\* \u2014 Optional section/);
      assert.equal(on(7, 'Input'), null, 'a label that names no section');
      assert.equal(on(8, 'Audit report'), null, 'the text after the label');
    });

    it("in a custom layout's document: the section's description with the phase's numbers ({N}, {N+1})", async () => {
      const config = [
        'layouts:',
        '  - name: sprint',
        '    phases: "sprints/sprint-*"',
        '    documents:',
        '      - kind: retro',
        '        file: RETRO.md',
        '        sections:',
        '          - title: Carry-over',
        '            description: What sprint {N} hands to sprint {N+1}',
        '',
      ].join('\n');
      const { t } = await target('sprints/sprint-3/RETRO.md', '# Sprint 3 Retro\n\n## Carry-over\n\n- Tests\n', { 'phasegate.yaml': config });
      assert.equal(hoverText(hover(t, 2, 5)), '**Carry-over** \u2014 Required section of the retro.\n\nWhat sprint 3 hands to sprint 4');
    });

    it('in an iAI prompt (the framework\u2019s list items): under their heading, an item label in another\u2019s item under it', async () => {
      const lines = [
        '# Phase 1: Unit Testing',
        '',
        '- **Phase 1: Unit Testing (iAI Prompt-Driven)**',
        '    - **Description:** Develop unit tests',
        '      for every module.',
        '    - **Key Activities (via iAI Prompt):** Write tests, wire CI.',
        '        - **Tests:** a pytest suite',
        '',
        '## Context',
        '',
        'Python 3.12.',
        '',
      ];
      const { t } = await target('workstreams/Test/Phase_1_Unit_Testing/implementation_prompt.md', lines.join('\n'));
      const { symbols, folds } = outline(t);
      assertValid(t, symbols, folds);
      assert.deepEqual(tree(symbols), [['Phase 1: Unit Testing', ['Description', ['Key Activities (via iAI Prompt)', ['Tests']], 'Context']]]);
      const folded = (line: number) => folds.find((f) => f.startLine === line)?.endLine;
      assert.equal(folded(3), 4, 'Description');
      assert.equal(folded(5), 6, 'Key Activities');
      assert.equal(folded(6), undefined, 'Tests: one line');
      assert.match(hoverText(hover(t, 5, 10)), /^\*\*Deliverables\*\* \u2014 Required section of the Implementation prompt/);
      assert.match(hoverText(hover(t, 6, 12)), /^\*\*Tests Required\*\*/);
    });
  });
  describe('front matter in the outline', () => {
    it('lists its keys, a mapping\u2019s keys under their key and a list\u2019s mappings under their index, each selected on its key', async () => {
      const text = [
        '---',
        'phase: 1',
        'title: "Phase 1: Work"',
        'status: in-progress',
        'tags: [a, b]',
        'meta:',
        '  owner: Ann',
        'approvals:',
        '  - by: Bob',
        '    date: 2025-10-17',
        'empty:',
        '---',
        '',
        '# Phase 1: Work',
        '',
      ].join('\r\n');
      const { t } = await target('phase-1/00-PHASE_BRIEF.md', text);
      const [fm] = documentSymbols(t.doc!);
      assert.equal(fm.name, 'Front matter');
      type Shown = [string, string | undefined, number, number, number, number, Shown[]?];
      const show = (s: DocumentSymbol): Shown => {
        const row: Shown = [s.name, s.detail, s.range.start.line, s.range.end.line, s.selectionRange.start.character, s.selectionRange.end.character];
        if (s.children) row.push(s.children.map(show));
        return row;
      };
      assert.deepEqual(fm.children!.map(show), [
        ['phase', '1', 1, 1, 0, 5],
        ['title', 'Phase 1: Work', 2, 2, 0, 5],
        ['status', 'in-progress', 3, 3, 0, 6],
        ['tags', undefined, 4, 4, 0, 4],
        ['meta', undefined, 5, 6, 0, 4, [['owner', 'Ann', 6, 6, 2, 7]]],
        [
          'approvals',
          undefined,
          7,
          9,
          0,
          9,
          [
            [
              '0',
              undefined,
              8,
              9,
              4,
              20,
              [
                ['by', 'Bob', 8, 8, 4, 6],
                ['date', '2025-10-17', 9, 9, 4, 8],
              ],
            ],
          ],
        ],
        ['empty', undefined, 10, 10, 0, 5],
      ]);
      // Each symbol holds its children and its selection, as editors require.
      const inside = (a: Range, b: Range) =>
        (a.start.line < b.start.line || (a.start.line === b.start.line && a.start.character <= b.start.character)) &&
        (b.end.line < a.end.line || (b.end.line === a.end.line && b.end.character <= a.end.character));
      const check = (s: DocumentSymbol) => {
        assert.ok(inside(s.range, s.selectionRange), s.name);
        for (const c of s.children ?? []) {
          assert.ok(inside(s.range, c.range), `${s.name} holds ${c.name}`);
          check(c);
        }
      };
      check(fm);
      // Front matter that does not parse: the block alone.
      const { t: broken } = await target('phase-1/00-PHASE_BRIEF.md', '---\ntitle: a: b\n---\n# Phase 1: Work\n');
      assert.equal(documentSymbols(broken.doc!)[0].children, undefined);
    });
  });
});
