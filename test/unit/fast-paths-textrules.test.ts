/**
 * Fast paths of the text rules (placeholders, deliverables, links, metrics, test proof) against the plain code
 * they replace: the same results on random documents built from the pieces that matter to each.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { textOf } from '../helpers/fuzz';
import * as YAML from 'yaml';
import { ListItem, ParsedDocument, Section, bodyStart, parseDocument, yamlOffsetRange } from '../../server/src/service/markdown';
import {
  FILLER_HINT,
  FILLER_ITEM,
  HANDOFF_KINDS,
  PLACEHOLDER_RULES,
  ampersandsAsAnd,
  fillerHint,
  placeholderLines,
  punctuatedBeforeEnd,
} from '../../server/src/service/rules/doc-placeholders';
import {
  PLACEHOLDER_HINT,
  blankSpans,
  bodyLinesMatching,
  kindSections,
  linkSpans,
  maskedLine,
  referenceDefinitions,
  scanPlaceholders,
} from '../../server/src/service/rules/doc-util';
import { Unit, unit, unitsOf } from '../../server/src/service/rules/phase-deliverables';
import { sectionsNamed } from '../../server/src/service/rules/phase-response';
import { AUDIT_LAYOUT, IAI_LAYOUT } from '../../server/src/service/layout';
import type { DocumentKindSpec } from '../../server/src/service/layout';
import { LinkCover, external, placeholderItem } from '../../server/src/service/rules/doc-links';
import { isExternal, isPlaceholderItem } from '../../server/src/service/rules/doc-util';
import { range } from '../../server/src/service/types';
import type { Range } from '../../server/src/service/types';
import type { RuleContext } from '../../server/src/service/rules/rule';
import { assertLinear } from '../helpers/linear';
import { TYPED_FROM } from '../../server/src/service/tables';

const RUNS = { numRuns: 1500 };

/** Documents of up to `maxLines` lines of pieces, joined by '\n', '\r\n' or '\r'. */
function docOf(linePieces: string[], maxLines = 14, perLine = 4): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(textOf(linePieces, perLine), { maxLength: maxLines }), fc.constantFrom('\n', '\n', '\r\n', '\r'))
    .map(([lines, eol]) => lines.join(eol));
}

/** What a rule reports through a context that holds only a document and its kind. */
function reportsOf(check: (ctx: RuleContext) => void, doc: ParsedDocument, kind: string | undefined): [Range, string][] {
  const out: [Range, string][] = [];
  const ctx = {
    doc,
    spec: kind ? { kind } : undefined,
    report: (_code: string, r: Range, message: string) => out.push([r, message]),
  } as unknown as RuleContext;
  check(ctx);
  return out;
}

// ---- The placeholder rule as it was before its fast paths (the plain code). ----

const FILLER_SECTION_KEYS = new Set([
  'decisions made',
  'artifacts produced',
  'phase # prerequisites',
  'phase # inputs',
  'recommended next steps',
  'open questions',
  'risks and dependencies',
  'inputs received',
  'prerequisites',
]);
const GUIDE_ITEMS = new Map<string, Set<string>>([
  ['phase # summary', new Set(['objectives achieved', 'key deliverables', 'metrics and kpis'])],
  ['critical findings', new Set(['issues discovered', 'risks identified', 'blockers resolved'])],
]);
function plainMessage(kind: string, text: string): string {
  if (kind === 'handlebars') return `Template expression ${text} was not rendered: replace it with text.`;
  if (kind === 'marker') return `"${text}" marks text still to be written.`;
  return `Placeholder ${text} is not filled in.`;
}
function plainHasMoreLines(doc: ParsedDocument, it: ListItem): boolean {
  for (let l = it.line + 1; l <= it.endLine; l++) if ((doc.lines[l] ?? '').trim() !== '') return true;
  return false;
}
function plainFillerItem(doc: ParsedDocument, it: ListItem): RegExpExecArray | undefined {
  if (!FILLER_HINT.test(it.text)) return undefined;
  const m = FILLER_ITEM.exec(it.text);
  return m && !plainHasMoreLines(doc, it) ? m : undefined;
}
function plainPlaceholders(ctx: RuleContext): void {
  const { doc } = ctx;
  const fm = doc.frontMatter;
  if (fm && /\[|\{\{|TBD|TODO/.test(fm.raw) && fm.yaml) {
    const { raw } = fm;
    YAML.visit(fm.yaml, {
      Scalar(key, node) {
        if (key === 'key' || typeof node.value !== 'string' || !node.range) return;
        const [a, b] = node.range;
        for (const p of scanPlaceholders(raw.slice(a, b))) {
          ctx.report('unfilled-placeholder', yamlOffsetRange(doc.lines, 1, raw, a + p.start, a + p.end), plainMessage(p.kind, p.text));
        }
      },
    });
  }
  const fillerSections = ctx.spec && HANDOFF_KINDS.has(ctx.spec.kind) ? doc.sections.filter((sec) => FILLER_SECTION_KEYS.has(sec.key)) : [];
  for (const it of fillerSections.length ? doc.items : []) {
    if (!FILLER_HINT.test(it.text)) continue;
    if (!fillerSections.some((sec) => sec.heading.line < it.line && it.line < sec.end)) continue;
    const m = plainFillerItem(doc, it);
    if (!m) continue;
    ctx.report('unfilled-placeholder', it.textRange, `"${m[1]}" is the template's wording: replace it with the ${m[2].toLowerCase()} itself.`);
  }
  if (ctx.spec?.kind === 'output-handoff') {
    for (const sec of doc.sections) {
      const guides = GUIDE_ITEMS.get(sec.key);
      if (!guides) continue;
      for (const it of doc.items) {
        if (it.line <= sec.heading.line || it.line >= sec.end) continue;
        if (plainHasMoreLines(doc, it)) continue;
        const bare = it.text.replace(/[*_`]/g, '').trimEnd();
        const words = (bare.endsWith(':') || bare.endsWith('.') ? bare.slice(0, -1) : bare).trim();
        if (!guides.has(ampersandsAsAnd(words.toLowerCase()))) continue;
        ctx.report('unfilled-placeholder', it.textRange, `"${words}" is the template's wording: write what it stands for (\`${words}: …\`).`);
      }
    }
  }
  let refs: Set<string> | undefined;
  for (const l of bodyLinesMatching(doc, PLACEHOLDER_HINT)) {
    refs ??= new Set(referenceDefinitions(doc).keys());
    for (const p of scanPlaceholders(maskedLine(doc, l), refs)) ctx.report('unfilled-placeholder', range(l, p.start, l, p.end), plainMessage(p.kind, p.text));
  }
}

// ---- The deliverables rule's helpers as they were. ----

function plainUnitsOf(doc: ParsedDocument, from: number, to: number): string[] {
  const units: string[] = [];
  const covered = new Set<number>();
  for (const it of doc.items) {
    if (it.line < from || it.line >= to) continue;
    const last = Math.min(it.endLine, to - 1);
    units.push(last === it.line ? doc.lines[it.line] : doc.lines.slice(it.line, last + 1).join(' '));
    for (let l = it.line; l <= last; l++) covered.add(l);
  }
  for (let l = from; l < to; l++) {
    if (covered.has(l) || doc.codeLines.has(l)) continue;
    const src = doc.lines[l] ?? '';
    if (src.trim() !== '' && !/^\s*#{1,6}\s/.test(src)) units.push(src);
  }
  return units;
}

/** Pieces of placeholder lines: brackets, links, images, code, comments, reference definitions, escapes, markers. */
const PLACEHOLDER_PIECES = [
  'text ',
  '[Name]',
  '[A',
  '[',
  ']',
  '](x.md)',
  '[Link](x.md)',
  '![Img](y.png)',
  '[Ref][Ref]',
  '[Ref]: http://x',
  '\\[Esc]',
  '[High]',
  '[Done]',
  '[x] ',
  '- [ ] ',
  '{{ x }}',
  '{{',
  '}}',
  'TBD',
  'xTBD',
  'TODO:',
  'TODO',
  '`',
  '`[Code]`',
  '<!-- [C] ',
  '-->',
  '<http://x>',
  '[Label](<a b.md>)',
  '# ',
  '```',
  '    ',
  '> ',
  '- ',
  '1. ',
  '',
];

describe('fast paths of the text rules equal the plain code they replace', () => {
  it('placeholderLines keeps the lines of the hint where maskedLine can hold a placeholder', () => {
    fc.assert(
      fc.property(docOf(PLACEHOLDER_PIECES), (src) => {
        const doc = parseDocument(src);
        const all = bodyLinesMatching(doc, PLACEHOLDER_HINT);
        const kept = placeholderLines(doc);
        // A subset, in order.
        assert.deepEqual(
          kept,
          all.filter((l) => kept.includes(l)),
          JSON.stringify(src),
        );
        for (const l of all) if (!kept.includes(l)) assert.deepEqual(scanPlaceholders(maskedLine(doc, l)), [], JSON.stringify([src, l]));
      }),
      RUNS,
    );
  });

  it('the placeholder rule reports what the plain rule reported, in the same order', () => {
    const lines = [
      ...PLACEHOLDER_PIECES,
      '## Decisions Made',
      '## Phase 1 Summary',
      '## Critical Findings',
      '### Open Questions',
      '## Artifacts Produced',
      '## Other',
      '- Decision 1',
      '- Decision 2: ',
      '- [ ] Prerequisite 2:',
      '1. Step 1',
      '  - Step 3',
      '- **Question 1**',
      '- Objectives achieved',
      '- **Issues discovered:**',
      '- Risks identified.',
      '- Key deliverables: x',
      '- Metrics & KPIs',
      '- Metrics  &  KPIs:',
      '- Objectives achieved: done.',
      '- a.b',
      '  more',
      '---',
      'title: [A]',
    ];
    fc.assert(
      fc.property(docOf(lines, 16, 2), fc.constantFrom(undefined, 'output-handoff', 'input-handoff', 'brief'), (src, kind) => {
        const doc = parseDocument(src);
        const got = reportsOf(PLACEHOLDER_RULES[0].check.bind(PLACEHOLDER_RULES[0]), doc, kind);
        const want = reportsOf(plainPlaceholders, parseDocument(src), kind);
        assert.deepEqual(got, want, JSON.stringify([src, kind]));
      }),
      RUNS,
    );
    // Nested filler sections (an item in both is reported once), guides, and fillers below guides.
    for (const src of [
      '## Decisions Made\n### Open Questions\n- Question 1\n## Risks and Dependencies\n- Risk 2:\n',
      '## Phase 2 Summary\n- Objectives achieved\n## Critical Findings\n- Issues discovered:\n- **Blockers resolved.**\n### Open Questions\n- Question 1\n',
      '## Phase 2 Summary\n### Critical Findings\n- Risks identified\n- Risks identified: none\n',
    ]) {
      for (const kind of ['output-handoff', 'input-handoff']) {
        const got = reportsOf(PLACEHOLDER_RULES[0].check.bind(PLACEHOLDER_RULES[0]), parseDocument(src), kind);
        assert.deepEqual(got, reportsOf(plainPlaceholders, parseDocument(src), kind), src);
        if (kind === 'output-handoff') assert.ok(got.length > 0);
      }
    }
  });

  it('placeholderLines takes the fast way (no line of links only) on a document of links', () => {
    const doc = parseDocument('# T\n\n- [Link](a.md) and ![Image](b.png)\n- [Other](<c d.md>)\n\n[Ref]: http://x\n');
    assert.deepEqual(bodyLinesMatching(doc, PLACEHOLDER_HINT), [2, 3, 5]);
    assert.deepEqual(placeholderLines(doc), [5]);
    assert.deepEqual(placeholderLines(parseDocument('- [Link](a.md) [Name]\n- [Link](a.md)\n')), [0]);
    // Other line ends: every line of the hint.
    assert.deepEqual(placeholderLines(parseDocument('- [Link](a.md)\r\n- [Link](a.md) TBD\r\n')), [0, 1]);
    assert.deepEqual(placeholderLines(parseDocument('TODO:\n{{ x }}\n[A]')), [0, 1, 2]);
  });

  it('fillerHint is FILLER_HINT.test', () => {
    const pieces = ['1', '9', 'a', 'Step', ':', '*', '_', ' ', '\t', '\n', '\u00a0', '\u2003', '\ufeff', '\u0660', '.', '#'];
    fc.assert(
      fc.property(textOf(pieces, 8), (t) => assert.equal(fillerHint(t), FILLER_HINT.test(t), JSON.stringify(t))),
      { numRuns: 5000 },
    );
  });

  it('punctuatedBeforeEnd texts are read as words that hold a `:` or `.`, which no guide does', () => {
    const pieces = ['a', 'Objectives', ' ', '\u00a0', ':', '.', '*', '_', '`', '&', '\t', '1', 'é'];
    fc.assert(
      fc.property(textOf(pieces, 10), (t) => {
        if (!punctuatedBeforeEnd(t)) return;
        const bare = t.replace(/[*_`]/g, '').trimEnd();
        const words = (bare.endsWith(':') || bare.endsWith('.') ? bare.slice(0, -1) : bare).trim();
        assert.match(ampersandsAsAnd(words.toLowerCase()), /[:.]/, JSON.stringify(t));
      }),
      { numRuns: 5000 },
    );
    for (const guides of GUIDE_ITEMS.values()) for (const g of guides) assert.doesNotMatch(g, /[:.]/);
  });

  it('unitsOf reads the units the plain code read', () => {
    const lines = ['- item', '  more', '    - nested', '1. one', '', 'text', '# Heading', '#tag', '  ## Sub', '```', 'code', '> - quoted', '| a | b |'];
    fc.assert(
      fc.property(docOf(lines, 16, 1), fc.nat(18), fc.nat(18), (src, a, b) => {
        const doc = parseDocument(src);
        for (const [from, to] of [
          [a, b],
          [bodyStart(doc), doc.lines.length],
        ]) {
          assert.deepEqual(
            unitsOf(doc, from, to).map((u) => u.key),
            plainUnitsOf(doc, from, to).map((t) => new Unit(t).key),
            JSON.stringify([src, from, to]),
          );
        }
      }),
      RUNS,
    );
  });

  it('a remembered unit is the unit of its text', () => {
    for (const t of ['Built the **CI** pipeline', 'Built the **CI** pipeline', '`x.md` report', '']) {
      assert.equal(unit(t).key, new Unit(t).key);
      assert.deepEqual([...unit(t).words], [...new Unit(t).words]);
    }
  });

  it('sectionsNamed finds the sections kindSections finds', () => {
    const titles = ['Deliverables', 'Tests', 'Execution Proof'];
    const kinds: DocumentKindSpec[] = [...IAI_LAYOUT.documents, ...AUDIT_LAYOUT.documents].filter((k) => k.sections.some((s) => titles.includes(s.title)));
    assert.ok(kinds.length >= 3);
    const lines = [
      '## Deliverables',
      '## Key Activities',
      '## Key Activities (via iAI Prompt)',
      '## Key Activities(note)',
      '## Key Activities (a) (b)',
      '## Deliverables Completed',
      '## Deliverables (x)',
      '## Other (y)',
      '### Deliverables',
      '**Deliverables**: a, b',
      '- **Key Activities (via iAI Prompt):** a, b',
      '## Tests',
      '## Tests Written (unit)',
      '## Unit & Integration Tests',
      '## Execution Proof',
      '## Test Execution Proof',
      '## Tests and Execution Proof',
      '- **Tests:** a',
      '**Execution Proof**:',
      '- item',
      'text',
    ];
    fc.assert(
      fc.property(docOf(lines, 10, 1), fc.constantFrom(...kinds, undefined), fc.constantFrom(...titles), (src, kind, title) => {
        const doc = parseDocument(src);
        const names = (secs: Section[]) => secs.map((s) => [s.heading.line, s.title]);
        assert.deepEqual(names(sectionsNamed(doc, kind, title)), names(kindSections(doc, kind, title)), JSON.stringify([src, title]));
      }),
      RUNS,
    );
  });

  it('external is isExternal', () => {
    const pieces = ['a', 'Z', ':', '#', '/', '//', 'http', 'x', ' ', '.', '+', '-', '1', '\\', 'é'];
    fc.assert(
      fc.property(textOf(pieces, 6), (t) => assert.equal(external(t), isExternal(t), JSON.stringify(t))),
      { numRuns: 5000 },
    );
  });

  it('placeholderItem is isPlaceholderItem, given the links of the item line', () => {
    const lines = [...PLACEHOLDER_PIECES.map((p) => '- ' + p), ...PLACEHOLDER_PIECES, '---', 'a: [B]', '```'];
    fc.assert(
      fc.property(docOf(lines, 12, 3), (src) => {
        const doc = parseDocument(src);
        for (const it of doc.items) {
          const links = doc.links.filter((l) => l.line === it.line);
          assert.equal(placeholderItem(doc, it, links.length ? links : undefined), isPlaceholderItem(doc, it), JSON.stringify([src, it.line]));
        }
      }),
      RUNS,
    );
  });

  it('placeholderLines and placeholderItem stay linear on a line of many links', () => {
    const line = (n: number) => {
      const doc = parseDocument('- ' + '[A](x) '.repeat(n) + '[Name] TBD');
      const links = doc.links.filter((l) => l.line === 0);
      assert.equal(links.length, n);
      return () => {
        assert.deepEqual(placeholderLines(doc), [0]);
        assert.equal(placeholderItem(doc, doc.items[0], links), true);
      };
    };
    line(40_000)();
    // Each match is looked for in the spans once: a scan of the line's links per match took seconds. The spans and
    // the matches are typed arrays sized ahead: grown by push, past some 16,000 entries each growth was copied in
    // V8's large-object space, and 16,000 links took 33 to 73 times as long as 1,000 (64 allowed); now 12 to 36.
    assertLinear('placeholderLines and placeholderItem', line, { n: 1000 });
  });

  it("missing-artifact's link cover and blanking answer as the per-link code did, on random lines", () => {
    // (An autolink comes after the line's inline links in the model: their spans are sorted.)
    const pieces = [
      '[a](x/y.md)',
      '[`b/c.md`](d/e.md)',
      '`f/g.md`',
      ' ',
      'h/i.md',
      '[j]',
      '(k)',
      '``',
      '`',
      '[l](<m n/o.md>)',
      '![p](q/r.png)',
      '<https://s.t/u>',
    ];
    fc.assert(
      fc.property(textOf(pieces, 16), (src) => {
        const doc = parseDocument('- ' + src);
        const line = doc.lines[0];
        const links = doc.links.filter((l) => l.line === 0);
        // As it was: every link searched for each code span, each link blanked out of a copy of the line.
        const cover = new LinkCover(links);
        const re = /`([^`\n]+)`/g;
        for (let m = re.exec(line); m; m = re.exec(line)) {
          const s = m.index;
          const e = s + m[0].length;
          assert.equal(
            cover.covers(s, e),
            links.some((k) => k.range.start.character <= s && k.range.end.character >= e),
            JSON.stringify([line, s, e]),
          );
        }
        let plain = line;
        for (const k of links) {
          const { start, end } = k.range;
          plain = plain.slice(0, start.character) + ' '.repeat(end.character - start.character) + plain.slice(end.character);
        }
        assert.equal(blankSpans(line, linkSpans(links)), plain, JSON.stringify(line));
      }),
      RUNS,
    );
  });

  it('linkSpans past TYPED_FROM links (typed tables) blanks a line as the per-link code does', () => {
    // Inline links, images and autolinks (after the inline ones in the model: sorted), some touching, some apart.
    const pieces = ['[a](x)', '![b](y.png)', '<https://s.t/u>', ' ', 'w ', '[c](<d e>)'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 3 * TYPED_FROM, maxLength: 4 * TYPED_FROM }), (parts) => {
        const doc = parseDocument('- ' + parts.join(''));
        const line = doc.lines[0];
        const links = doc.links.filter((l) => l.line === 0);
        if (links.length < TYPED_FROM) return;
        let plain = line;
        for (const k of links) {
          const { start, end } = k.range;
          plain = plain.slice(0, start.character) + ' '.repeat(end.character - start.character) + plain.slice(end.character);
        }
        const spans = linkSpans(links);
        assert.ok(ArrayBuffer.isView(spans));
        assert.equal(blankSpans(line, spans), plain);
      }),
      { numRuns: 20 },
    );
  });
});
