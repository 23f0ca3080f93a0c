/**
 * Ranges on awkward text, over every rule and every editor feature that returns ranges: a workspace (the
 * benchmark's generated one, small, with defects that most rules report and most fixes repair) is checked as
 * written and as rewritten in another form that must give the same ranges —
 *
 * - its line endings CRLF, or lone CRs (an old Mac file), or a stray CR in an LF file;
 * - its files starting with a byte order mark (which the engine's text does not hold: the language server
 *   shifts the first line's positions for a client whose text does, see lsp/convert.ts);
 * - its last line without a line ending;
 * - tabs for spaces after headings' markers and task boxes, and around table cells;
 * - text of the same length in UTF-16 code units (LSP's unit, and that of `check --format json`, SARIF and the
 *   text format's column) in place of ASCII text added to it: astral characters (🚀, 𝒳: two units each), CJK,
 *   combining marks, before and inside the text reported, in headings, list items, prose and table cells.
 *
 * and, on the rewritten text, no range runs past its line or splits a surrogate pair, and every quick fix and
 * Fix all writes the document's own line endings.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connection, DocumentSymbol, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits, codeActions, fixAll, MemoryFileSystem, PhasegateService, Position, Range } from '../../server/src/service';
import { gateCauses } from '../../server/src/service/gates';
import { ServerContext, Target } from '../../server/src/lsp/context';
import { hover } from '../../server/src/lsp/hover';
import { foldingRanges } from '../../server/src/lsp/folding';
import { kindLabels } from '../../server/src/lsp/labels';
import { definition, documentLinks } from '../../server/src/lsp/links';
import { documentSymbols } from '../../server/src/lsp/symbols';
import { codeLenses } from '../../server/src/lsp/codeLens';
import type { Settings } from '../../server/src/lsp/settings';
import type { Folder, Workspaces } from '../../server/src/lsp/workspaces';
import { pathToUri } from '../../server/src/lsp/uri';
import { assets, loudLogger, REPO, ROOT } from '../helpers/workspace';

interface Generator {
  generateFiles(opts: { n: number; seed: number }): Iterable<[string, string]>;
}

const A = 'audit-deployment';
const W = 'all_use_iai_project/workstreams/Build/Phase_1_Dependency_Management';

const dropLines = (text: string, ...patterns: RegExp[]) =>
  text
    .split('\n')
    .filter((l) => !patterns.some((p) => p.test(l)))
    .join('\n');

/** Defects of the generated workspace, for the rules that report them and the fixes that repair them. */
const MUTATIONS: [string, (text: string) => string][] = [
  // front-matter-schema (a status in another case), unfilled-placeholder, broken-link, broken-anchor, invalid-front-matter, risk-without-mitigation.
  [
    `${A}/phase-2/00-PHASE_BRIEF.md`,
    (t) =>
      t
        .replace(/^status: complete$/m, 'status: Complete\nowner: A\nowner: B')
        .replace(/^(- Risk: .*?) - .*$/m, '$1')
        .replace(
          /^\*\*Out of scope\*\*: .*$/m,
          '**Out of scope**: [Describe what is out] and {{owner}} TBD, see [the plan](02-PLAN.md) and [the risks](#no-such-heading).',
        ),
  ],
  // missing-section and heading-mismatch (a section renamed), section-order, empty-section.
  [`${A}/phase-3/00-PHASE_BRIEF.md`, (t) => t.replace(/## Scope\n\n[\s\S]*?\n## Deliverables/, '## Deliverables').replace('## Objectives', '## Objective')],
  [
    `${A}/phase-4/00-PHASE_BRIEF.md`,
    (t) => {
      const objectives = /## Objectives\n[\s\S]*?(?=\n## Scope)/.exec(t)![0];
      return t.replace(objectives, '').replace(/(## Scope\n[\s\S]*?)(\n## Deliverables)/, `$1\n${objectives}$2`);
    },
  ],
  [`${A}/phase-5/00-PHASE_BRIEF.md`, (t) => t.replace(/(## Scope\n\n)[\s\S]*?(\n## Deliverables)/, '$1<!-- later -->\n$2')],
  // decision-without-rationale, gate-item-unchecked, gate-item-no-evidence.
  [`${A}/phase-4/05-DECISIONS.md`, (t) => dropLines(t, /^\*\*Rationale\*\*: /)],
  [
    `${A}/phase-4/07-VALIDATION.md`,
    (t) =>
      t
        .replace(/^- \[x\] (.*) — Evidence: .*$/m, '- [ ] $1 — Evidence: [report](03-FINDINGS/report.md)')
        .replace(/^(- \[x\] [^\n]*?) — Evidence: [^\n]*$/m, '$1'),
  ],
  // handoff-mismatch (inputs and a prerequisite the previous phase hands off), an output handoff addressed to another phase.
  [`${A}/phase-6/01-INPUT_HANDOFF.md`, (t) => dropLines(t, /^- Input 2: /, /^- \[x\] Access to /)],
  [
    `${A}/phase-7/06-OUTPUT_HANDOFF.md`,
    (t) => t.replace(/^# Phase 7 → Phase 8 Handoff$/m, '# Phase 7 → Phase 9 Handoff').replace('## Phase 8 Inputs', '## Phase 9 Inputs'),
  ],
  // invalid-directive, unused-directive, broken-link and broken-anchor in prose.
  [
    `${A}/phase-8/02-EXECUTION_PLAN.md`,
    (t) =>
      t +
      '\n<!-- phasegate-disable-next-line broken-lnk -->\nSee [x](gone.md) and [y](#nowhere).\n\n<!-- phasegate-disable-next-line empty-section -->\nA note of ours.\n',
  ],
  // missing-front-matter, a title of another phase, a finding that names another phase.
  [`${A}/phase-9/03-FINDINGS/report.md`, (t) => t.replace(/^---\n[\s\S]*?\n---\n\n?/, '')],
  [`${A}/phase-9/00-PHASE_BRIEF.md`, (t) => t.replace('# Phase 9:', '# Phase 19:')],
  [`${A}/phase-10/03-FINDINGS/report.md`, (t) => t.replace('phase: 10', 'phase: 11')],
  // prerequisite-unmet.
  [`${A}/phase-10/01-INPUT_HANDOFF.md`, (t) => t.replace(/^- \[x\] /m, '- [ ] ')],
  // iAI: a status in another case, a response titled for another phase.
  [`${W}/implementation_prompt.md`, (t) => t.replace('status: complete', 'status: In_Progress')],
  [`${W}/implementation_response_from_AI.md`, (t) => t.replace(/^# (.*?)Phase 1\b/m, '# $1Phase 3')],
];

type Files = Record<string, string>;
type Transform = (text: string) => string;

/** `f` applied to each line of the Markdown text but its front matter. */
const eachLine =
  (f: (line: string) => string): Transform =>
  (t) => {
    let inFrontMatter = false;
    return t
      .split('\n')
      .map((l, i) => {
        if (i === 0 && l === '---') return ((inFrontMatter = true), l);
        if (inFrontMatter) return (l === '---' && (inFrontMatter = false), l);
        return f(l);
      })
      .join('\n');
  };

/** `ins` where a line's content starts: after a heading's `#`s, a list marker and its box, a quote's `>`, a row's `|`, `**`. */
const atContentStart = (ins: string) =>
  eachLine((l) =>
    l.replace(/^(\s*(?:#{1,6}\s+|(?:>\s*)?[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+(?:\[[ xX]\]\s+)?|\|\s*)?(?:\*\*)?)(?=[A-Za-z0-9[])/, (_m, p: string) => p + ins),
  );
/** `ins` at the end of the lines that are not headings, rows, fences or blank. */
const atLineEnd = (ins: string) => eachLine((l) => (/^\s*(\||```|~~~|---|#|$)/.test(l) ? l : l + ins));
/** `ins` at the end of the headings of level 3 and more (titles that no rule matches by name). */
const atHeadingEnd = (ins: string) => eachLine((l) => (/^#{3,6}\s+\S/.test(l) ? l + ins : l));
/** `ins` at the start of every table cell but the delimiter row's. */
const inCells = (ins: string) => eachLine((l) => (/^\s*\|/.test(l) && !/^\s*\|[\s:|-]+\|?\s*$/.test(l) ? l.replace(/\| (?=\S)/g, '| ' + ins) : l));
/** Tabs for the spaces after headings' `#`s and task boxes, and around table cells. */
const tabbed = eachLine((l) => {
  const t = l.replace(/^(#{1,6}) /, '$1\t').replace(/^(\s*[-*+] \[[ xX]\]) /, '$1\t');
  return /^\s*\|/.test(t) ? t.replace(/ \|/g, '\t|').replace(/\| /g, '|\t') : t;
});
/** A prose line (one that starts with a word) broken in two at its first space, by `br`. */
const proseBrokenBy = (br: string) => eachLine((l) => (/^[A-Z][a-z]/.test(l) ? l.replace(' ', br) : l));

const same: Transform = (t) => t;
const replaceAll = (pairs: [string, string][]) => (s: string) => pairs.reduce((acc, [from, to]) => acc.split(from).join(to), s);

interface Variant {
  name: string;
  /** The text as written, and as rewritten. */
  a: Transform;
  b: Transform;
  /** What the rewritten text's results are, as the written text's (the text the fixes copy, their line endings). */
  norm?: (json: string) => string;
  /** Applied to both results (what may differ and need not: a file's last line break). */
  both?: (json: string) => string;
  /** The line ending the fixes of the rewritten text write. */
  eol: '\n' | '\r\n' | '\r';
}

const withoutFinalBreaks = (json: string) => json.replace(/(\\r\\n|\\n|\\r)+"/g, '"');

const VARIANTS: Variant[] = [
  { name: 'CRLF line endings', a: same, b: (t) => t.replace(/\n/g, '\r\n'), norm: (s) => s.replace(/\\r\\n/g, '\\n'), eol: '\r\n' },
  { name: 'lone CR line endings', a: same, b: (t) => t.replace(/\n/g, '\r'), norm: (s) => s.replace(/\\r/g, '\\n'), eol: '\r' },
  { name: 'a stray CR in an LF file', a: proseBrokenBy('\n'), b: proseBrokenBy('\r'), norm: (s) => s.replace(/\\r/g, '\\n'), eol: '\n' },
  { name: 'a byte order mark', a: same, b: (t) => '\ufeff' + t, eol: '\n' },
  { name: 'no line ending on the last line', a: same, b: (t) => t.replace(/\n+$/, ''), both: withoutFinalBreaks, eol: '\n' },
  {
    name: 'CRLF and no line ending on the last line',
    a: same,
    b: (t) => t.replace(/\n+$/, '').replace(/\n/g, '\r\n'),
    norm: (s) => s.replace(/\\r\\n/g, '\\n'),
    both: withoutFinalBreaks,
    eol: '\r\n',
  },
  { name: "tabs after headings' markers and task boxes, and around table cells", a: same, b: tabbed, norm: (s) => s.replace(/\\t/g, ' '), eol: '\n' },
  { name: 'astral characters where content starts', a: atContentStart('QQQQ '), b: atContentStart('🚀𝒳 '), norm: replaceAll([['🚀𝒳', 'QQQQ']]), eol: '\n' },
  { name: 'CJK where content starts', a: atContentStart('QQQ '), b: atContentStart('認証の '), norm: replaceAll([['認証の', 'QQQ']]), eol: '\n' },
  {
    name: 'combining marks where content starts',
    a: atContentStart('QQQ '),
    b: atContentStart('e\u0301e '),
    norm: replaceAll([['e\u0301e', 'QQQ']]),
    eol: '\n',
  },
  { name: 'astral characters at line ends', a: atLineEnd(' QQQQQ'), b: atLineEnd(' 🚀𝒳Q'), norm: replaceAll([['🚀𝒳Q', 'QQQQQ']]), eol: '\n' },
  { name: 'astral characters ending headings', a: atHeadingEnd(' QQQQ'), b: atHeadingEnd(' 🚀𝒳'), norm: replaceAll([['🚀𝒳', 'QQQQ']]), eol: '\n' },
  { name: 'astral characters in table cells', a: inCells('QQQQ '), b: inCells('🚀𝒳 '), norm: replaceAll([['🚀𝒳', 'QQQQ']]), eol: '\n' },
  {
    name: 'CRLF and astral characters',
    a: atContentStart('QQQQ '),
    b: (t) => atContentStart('🚀𝒳 ')(t).replace(/\n/g, '\r\n'),
    norm: (s) => replaceAll([['🚀𝒳', 'QQQQ']])(s).replace(/\\r\\n/g, '\\n'),
    eol: '\r\n',
  },
];

const ctx = new ServerContext({} as Connection, {} as TextDocuments<TextDocument>, {} as Workspaces, {} as Settings);

/** Lines of a file's text as the engine and LSP count them: after a byte order mark, ended by CRLF, CR or LF. */
const linesOf = (text: string) => text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);

/** What every feature returns on every document of `files`, and the problems of its ranges and edits. */
async function features(files: Files, eol: Variant['eol']): Promise<{ results: Record<string, unknown>; problems: string[] }> {
  const fs = new MemoryFileSystem();
  for (const [rel, text] of Object.entries(files)) fs.write(`${ROOT}/${rel}`, text);
  const svc = new PhasegateService({ fs, assets, logger: loudLogger });
  await svc.load(ROOT);
  const results: Record<string, unknown> = {};
  const problems: string[] = [];
  const relOf = (file: string) => file.slice(ROOT.length + 1);
  const relOfUri = (uri: string) => relOf(decodeURIComponent(uri.replace(/^file:\/\//, '')));
  const checkPosition = (rel: string, p: Position, what: string) => {
    const text = files[rel];
    if (text === undefined) return;
    const lines = linesOf(text);
    const src = lines[p.line];
    if (src === undefined) {
      if (p.line > lines.length || p.character > 0) problems.push(`${what}: ${rel}:${p.line}:${p.character} is past the end`);
      return;
    }
    if (p.character > src.length) problems.push(`${what}: ${rel}:${p.line}:${p.character} is past the line's end (${src.length})`);
    const low = src.charCodeAt(p.character);
    const high = src.charCodeAt(p.character - 1);
    if (low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff) problems.push(`${what}: ${rel}:${p.line}:${p.character} splits a surrogate pair`);
  };
  const checkRange = (rel: string, r: Range, what: string) => {
    checkPosition(rel, r.start, what);
    checkPosition(rel, r.end, what);
  };
  const otherBreak = eol === '\r\n' ? /\r(?!\n)|(?<!\r)\n/ : eol === '\r' ? /\n/ : /\r/;
  for (const rel of Object.keys(files).sort()) {
    const file = `${ROOT}/${rel}`;
    const doc = svc.getDocument(file);
    const diags = svc.diagnose(file);
    for (const d of diags) checkRange(rel, d.range, d.code);
    const actions = codeActions(svc, diags);
    const all = fixAll(svc, file);
    const edits = [...actions, ...(all ? [all] : [])].map((a) => ({ title: a.title, edits: a.change.edits, select: a.select }));
    for (const a of edits)
      for (const fe of a.edits)
        for (const e of fe.edits) {
          checkRange(relOf(fe.file), e.range, a.title);
          if (otherBreak.test(e.newText)) problems.push(`${a.title} writes other line endings into ${relOf(fe.file)}: ${JSON.stringify(e.newText)}`);
        }
    // (A fix's selection is of the text it leaves: compared between the variants, not with the text before it.)
    const r: Record<string, unknown> = {
      diagnostics: diags.map((d) => [d.code, d.range]),
      edits,
      // What each fix leaves of the files it edits (of the engine's text: after a byte order mark).
      fixed: edits.map((a) =>
        a.edits.map((fe) => (files[relOf(fe.file)] === undefined ? null : applyEdits(files[relOf(fe.file)].replace(/^\ufeff/, ''), fe.edits))),
      ),
    };
    results[rel] = r;
    if (!doc) continue;
    const t: Target = { uri: pathToUri(file), path: file, folder: { path: ROOT, svc } as Folder, svc, doc };
    const labels = kindLabels(svc, file, doc).map((l) => l.section);
    const symbols = documentSymbols(doc, labels);
    const walk = (s: DocumentSymbol): void => {
      checkRange(rel, s.range, 'symbol');
      checkRange(rel, s.selectionRange, 'symbol');
      s.children?.forEach(walk);
    };
    symbols.forEach(walk);
    r.symbols = symbols;
    r.folding = foldingRanges(doc, labels);
    const links = documentLinks(ctx, t);
    r.links = links.map((l) => [l.range, l.target]);
    r.lenses = codeLenses(t).map((l) => l.range);
    // Hover and definition amid each link and heading, and at its last character.
    const probes: [number, number][] = [];
    for (const l of links) probes.push([l.range.start.line, (l.range.start.character + l.range.end.character) >> 1], [l.range.end.line, l.range.end.character]);
    for (const h of doc.headings) probes.push([h.line, (h.textRange.start.character + h.textRange.end.character) >> 1], [h.line, h.textRange.end.character]);
    r.probes = probes.map(([line, ch]) => {
      const h = hover(t, line, ch);
      if (h?.range) checkRange(rel, h.range, 'hover');
      const defs = definition(ctx, t, line, ch).map((l) => [l.uri, l.range] as const);
      for (const [uri, range] of defs) checkRange(relOfUri(uri), range, 'definition');
      return [line, ch, h?.range, defs];
    });
    for (const [range] of r.links as [Range][]) checkRange(rel, range, 'link');
  }
  results.$causes = svc.model.phases.map((p) =>
    p.layout.gates.map((g) =>
      gateCauses(svc, p, g.name).map((c) => {
        checkRange(relOf(c.file), c.range, `cause of ${p.id} ${g.name}`);
        return [c.file, c.range, c.kind, c.code];
      }),
    ),
  );
  return { results, problems };
}

describe('ranges on awkward text (CRLF, CR, BOM, no final newline, astral characters, CJK, combining marks)', function () {
  this.timeout(120_000);
  let base: Files;

  before(async () => {
    const gen = (await import(pathToFileURL(path.join(REPO, 'bench', 'generate.mjs')).href)) as Generator;
    const files = new Map(gen.generateFiles({ n: 10, seed: 1 }));
    for (const [rel, mutate] of MUTATIONS) {
      const text = files.get(rel);
      assert.ok(text !== undefined, rel);
      const next = mutate(text);
      assert.notEqual(next, text, `the mutation of ${rel} changes nothing`);
      files.set(rel, next);
    }
    base = Object.fromEntries(files);
  });

  it('the workspace has problems of most rules, and fixes for them', async () => {
    const { results } = await features(base, '\n');
    const codes = new Set<string>();
    let fixes = 0;
    for (const [rel, r] of Object.entries(results)) {
      if (rel.startsWith('$')) continue;
      const { diagnostics, edits } = r as { diagnostics: [string][]; edits: unknown[] };
      for (const [code] of diagnostics) codes.add(code);
      fixes += edits.length;
    }
    for (const code of [
      'front-matter-schema',
      'invalid-front-matter',
      'unfilled-placeholder',
      'broken-link',
      'broken-anchor',
      'risk-without-mitigation',
      'missing-section',
      'heading-mismatch',
      'section-order',
      'empty-section',
      'decision-without-rationale',
      'gate-item-unchecked',
      'gate-item-no-evidence',
      'handoff-mismatch',
      'invalid-directive',
      'unused-directive',
      'missing-front-matter',
      'prerequisite-unmet',
      'plan-status-mismatch',
      'metric-threshold',
    ])
      assert.ok(codes.has(code), `${code} in ${[...codes].sort().join(', ')}`);
    assert.ok(fixes >= 20, `${fixes} fixes`);
  });

  for (const v of VARIANTS) {
    it(`gives the same ranges with ${v.name}`, async () => {
      const rewrite = (f: Transform) => Object.fromEntries(Object.entries(base).map(([rel, text]) => [rel, rel.endsWith('.md') ? f(text) : text]));
      const a = await features(rewrite(v.a), '\n');
      const b = await features(rewrite(v.b), v.eol);
      assert.deepEqual(a.problems, []);
      assert.deepEqual(b.problems, []);
      const both = v.both ?? same;
      const norm = v.norm ?? same;
      for (const rel of Object.keys(a.results)) {
        const ra = a.results[rel] as Record<string, unknown>;
        const rb = b.results[rel] as Record<string, unknown>;
        for (const feature of Object.keys(ra)) {
          const want = both(JSON.stringify(ra[feature]));
          const got = both(norm(JSON.stringify(rb[feature])));
          if (got !== want) {
            let i = 0;
            while (i < want.length && want[i] === got[i]) i++;
            assert.fail(`${rel} ${feature} differ:\n  ${want.slice(Math.max(0, i - 300), i + 200)}\n  ${got.slice(Math.max(0, i - 300), i + 200)}`);
          }
        }
      }
    });
  }
});
