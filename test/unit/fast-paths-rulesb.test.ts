/**
 * Fast paths of the handoff rule and the gate evaluation (performance only) against the plain code they
 * replace: an item's path and key read in one pass over its links, a Source settled by a link to the output
 * handoff, the placeholder hint of the evidence test by indexOf, and each item's evidence judged once for
 * the gate-item rule and the gate evaluation.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { INLINE_LINK, type ListItem, parseDocument } from '../../server/src/service/markdown';
import {
  isRelativeTarget,
  linksTo,
  looksLikePath,
  maskRefs,
  parseItem,
  referencesIn,
  refersTo,
  textKey,
  withoutComments,
} from '../../server/src/service/handoff';
import { evidenceOf, hasEvidence, missingFrom, placeholderStart } from '../../server/src/service/gates';
import { BARE_PATH_RE } from '../../server/src/service/rules/doc-util';
import { assertAgree, textOf, withEol } from '../helpers/fuzz';

const RUNS = { numRuns: 3000 };

// The plain code, as it read before its fast paths.
const LINK = new RegExp(`!?${INLINE_LINK}`, 'g');
const CODE = /`([^`\n]+)`/g;

/** textKey's key of a text, computed afresh (no remembered keys). */
function plainKey(text: string): string {
  const plain = withoutComments(text);
  const s = plain
    .replace(LINK, (_m, label: string) => ` ${label} `)
    .toLowerCase()
    .replace(/[*`~]/g, '');
  return s.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** parseItem's path (without a document), as it read it: the first relative link target, else a code span, else a bare path. */
function plainPath(itemText: string): { path: string | undefined; codePath: boolean } {
  const text = withoutComments(itemText);
  let path: string | undefined;
  let codePath = false;
  LINK.lastIndex = 0;
  for (let m = LINK.exec(text); m && !path; m = LINK.exec(text)) {
    const t = m[2].startsWith('<') ? m[2].slice(1, -1) : m[2];
    if (isRelativeTarget(t)) path = t;
  }
  if (!path) {
    CODE.lastIndex = 0;
    for (let m = CODE.exec(text); m && !path; m = CODE.exec(text)) if (looksLikePath(m[1])) path = m[1];
    codePath = !!path;
  }
  if (!path) {
    BARE_PATH_RE.lastIndex = 0;
    const m = BARE_PATH_RE.exec(maskRefs(text));
    if (m) {
      path = m[2];
      codePath = true;
    }
  }
  return { path, codePath };
}

/** The pieces of handoff items that matter to their links, keys and paths. */
const ITEM_PIECES = [
  'Input 1: ',
  'Report',
  'réseau ',
  '報告',
  ' - ',
  '[Audit report](../p/03-FINDINGS/report.md)',
  '[x](a.md)',
  '[Y](<b c.md>)',
  '[z](https://e.com/a.md)',
  '[w](#top)',
  '![img](i.png)',
  '[a [b] c](d/e.md)',
  '[',
  ']',
  '](',
  '(',
  ')',
  '<!-- c -->',
  '<!--',
  '-->',
  '`04-ARTIFACTS/ci.yml`',
  '`',
  '04-ARTIFACTS/x.md',
  ' ',
  '\t',
  ':',
  '*',
  '~',
  '\\',
];

let unique = 0;

/** A checkbox item for evidence: done with a link that leads somewhere or not, a placeholder, a code span; maybe a continuation line. */
const EVIDENCE_PIECES = [
  'Done',
  ' — Evidence: ',
  '[r](03-FINDINGS/r.md)',
  '[t](04-ARTIFACTS/gone.md)',
  '[u](/phase-1/03-FINDINGS/r.md)',
  '[v](<03-FINDINGS/r.md>)',
  '[w](https://ci.example.com/1)',
  '[Evidence]',
  'TBD',
  '{{x}}',
  '`p`',
  ' ',
];

describe('rulesb fast paths equal the plain code they replace', () => {
  it('placeholderStart finds what the placeholder hint finds', () => {
    const HINT = /\[[A-Z]|\{\{|TBD|TODO:/;
    assertAgree(['[', 'A', 'Z', 'a', '@', '[', '{', '{{', 'T', 'TB', 'TBD', 'TODO', 'TODO:', ':', 'É', '\n', ' ', 'x'], placeholderStart, (t) => HINT.test(t));
    // Every character after a `[`, on its own and at the end of a text.
    for (let c = 0; c < 0x10000; c++) {
      const t = `[${String.fromCharCode(c)}]`;
      assert.equal(placeholderStart(t), HINT.test(t), String(c));
    }
    for (const t of ['', '[', 'x[', '{', 'TOD', 'TODO', 'TB', 'a'.repeat(100_000) + '[B']) assert.equal(placeholderStart(t), HINT.test(t), t.slice(-8));
  });

  it('parseItem reads the key and the path of an item as the plain code does, known or new', () => {
    fc.assert(
      fc.property(textOf(ITEM_PIECES, 10), fc.boolean(), fc.constantFrom('\n', '\r\n'), (t, fresh, eol) => {
        // A fresh text is no key textKey knows yet; the others come again and again.
        const text = fresh ? `${t} n${unique++}` : t;
        const doc = parseDocument(withEol(`- ${text}\n`, eol));
        for (const it of doc.items) {
          for (let k = 0; k < 2; k++) {
            const got = parseItem(it, '/ws/p', ['/ws']);
            const want = plainPath(it.text);
            assert.equal(got.key, plainKey(got.text), JSON.stringify(text));
            assert.equal(got.key, textKey(got.text), JSON.stringify(text));
            assert.deepEqual([got.path, got.codePath], [want.path, want.codePath], JSON.stringify(text));
          }
        }
      }),
      RUNS,
    );
    // Edge cases: many links, a comment left open, Unicode labels, tabs, a huge line.
    const edge = [
      '[a](x.md) [b](y.md) [c](https://z) tail',
      '<!-- open [a](x.md) Report',
      'Nom: [Réseau été](r.md) — données',
      '\t[a]\t(x.md)\t[b](y.md)',
      '[a](x.md)'.repeat(2000) + ' end',
      'Item: ' + 'word '.repeat(5000) + '[last](l.md)',
      '[](e.md)',
      '[A](<>)',
    ];
    for (const text of edge) {
      const it = parseDocument(`- ${text}\n`).items[0];
      const got = parseItem(it, '/ws/p', ['/ws']);
      assert.equal(got.key, plainKey(got.text), text.slice(0, 40));
      assert.deepEqual([got.path, got.codePath], Object.values(plainPath(it.text)), text.slice(0, 40));
    }
  });

  it('linksTo settles a Source only when its references lead to the output handoff', () => {
    const pieces = [
      '[Phase 1 output handoff](../phase-1/06-OUTPUT_HANDOFF.md)',
      '[h](../phase-1/06-OUTPUT\\_HANDOFF.md)',
      '[h](../phase-1/06-OUTPUT_HANDOFF.md#top)',
      '[h](/phase-1/06-OUTPUT_HANDOFF.md)',
      '[h](phase-1/06-OUTPUT_HANDOFF.md)',
      '[h](../phase-2/06-OUTPUT_HANDOFF.md)',
      '[h](../phase-1/06%2DOUTPUT_HANDOFF.md)',
      '[h](https://e.com/phase-1/06-OUTPUT_HANDOFF.md)',
      '[h][r]',
      '`../phase-1/06-OUTPUT_HANDOFF.md`',
      'phase-1/06-OUTPUT_HANDOFF.md',
      ', received on 2052-04-03.',
      ' ',
      '\n',
      '\n## Inputs Received\n',
    ];
    const out = '/ws/phase-1/06-OUTPUT_HANDOFF.md';
    fc.assert(
      fc.property(textOf(pieces, 8), fc.boolean(), fc.constantFrom<readonly string[]>(['/ws'], ['/ws', '/ws/x']), (body, def, bases) => {
        const text = `# Phase 2 Input Handoff\n\n## Source\n\n${body}\n${def ? '\n[r]: ../phase-1/06-OUTPUT_HANDOFF.md\n' : ''}`;
        const doc = parseDocument(text);
        const source = doc.sections.find((s) => s.key === 'source')!;
        const plain = referencesIn(doc, source, '/ws/phase-2', bases).some((r) => refersTo(r, out));
        const fast = linksTo(doc, source, '/ws/phase-2', bases[0], out);
        // Settled only when the references settle it; else the references are read as before.
        if (fast) assert.ok(plain, JSON.stringify(text));
        assert.equal(fast || plain, plain, JSON.stringify(text));
      }),
      RUNS,
    );
  });

  it('evidenceOf judges each item as hasEvidence with missingFrom does, the answers kept per document, file and model', () => {
    const item = fc.tuple(fc.constantFrom('- [x] ', '- [ ] ', '1. [x] '), textOf(EVIDENCE_PIECES, 5), fc.constantFrom('', '  [r](03-FINDINGS/r.md)', '  more'));
    const files = fc.subarray(['/ws/phase-1/03-FINDINGS/r.md', '/ws/phase-1/04-ARTIFACTS/gone.md', '/ws/phase-1/03-FINDINGS'], {});
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 5 }), files, files, fc.constantFrom('\n', '\r\n'), (items, there, later, eol) => {
        const doc = parseDocument(withEol(items.map(([m, t, more]) => (more ? `${m}${t}\n${more}` : m + t)).join('\n') + '\n', eol));
        const root = '/ws';
        const file = '/ws/phase-1/07-VALIDATION.md';
        const check = (model: object, exists: (p: string) => boolean, path: string) => {
          const plain = (it: ListItem) => hasEvidence(it, doc, missingFrom(path, root, exists));
          const judge = evidenceOf(path, root, exists, { doc, model });
          // Twice each: the second answer is the kept one.
          for (const it of [...doc.items, ...doc.items]) assert.equal(judge(it), plain(it), JSON.stringify([it.text, path]));
          // Another judge of the same document, file and model (the gate evaluation after the rule).
          const again = evidenceOf(path, root, exists, { doc, model });
          for (const it of doc.items) assert.equal(again(it), plain(it), JSON.stringify([it.text, path]));
        };
        const model = {};
        check(model, (p) => there.includes(p), file);
        // The same document read as another file: its links lead elsewhere.
        check(model, (p) => there.includes(p), '/ws/phase-2/07-VALIDATION.md');
        // A new model (the workspace's files changed): nothing kept from the last.
        check({}, (p) => later.includes(p), file);
      }),
      { numRuns: 1000 },
    );
  });
});
