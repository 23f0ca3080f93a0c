/**
 * Documents with thousands of one kind of thing (labels, unused directives, decisions without a rationale,
 * table rows): the engine's checks, fixes and editor features take time linear in their number, not
 * quadratic. Each bound is generous (several times what the linear code takes on a loaded machine) and
 * far below what the quadratic code took; each test also checks that the answer is still right.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyEdits, codeActions, fixAll, parseDocument, PhasegateService } from '../../server/src/service';
import { maskedProse } from '../../server/src/service/markdown';
import { kindLabels } from '../../server/src/lsp/labels';
import { labelSections } from '../../server/src/service/labels';
import { landsInCode } from '../../server/src/service/fixes/phase-edit';
import type { ParsedDocument } from '../../server/src/service/markdown';
import { assertLinear, stopwatch } from '../helpers/linear';
import { ROOT, workspace } from '../helpers/workspace';

const BRIEF = `---\nphase: 1\nstatus: in-progress\n---\n\n# Phase 1: Work\n\n## Objectives\n\nDo the work.\n`;

/** Milliseconds `f` takes (see stopwatch: not stretched by a loaded machine), and what it returns. */
function timed<T>(f: () => T): [number, T] {
  const elapsed = stopwatch();
  const r = f();
  return [elapsed(), r];
}

async function engine(rel: string, text: string): Promise<PhasegateService> {
  const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': BRIEF, [rel]: text });
  return svc;
}

describe('large inputs', () => {
  it('a brief with 30,000 bold labels under as many headings: its labels found in linear time', async () => {
    const n = 30000;
    const body = Array.from({ length: n }, (_, i) => `### Risk ${i}: a thing\n\n**Mitigation**: watch it ${i}\n`).join('\n');
    const svc = await engine('phase-1/00-PHASE_BRIEF.md', `${BRIEF}\n## Risks\n\n${body}`);
    const path = `${ROOT}/phase-1/00-PHASE_BRIEF.md`;
    const doc = svc.getDocument(path)!;
    kindLabels(svc, path, doc);
    const labels = labelSections(doc);
    assert.equal(labels.length, n);
    for (const k of [0, 1, n / 2, n - 1]) {
      const l = labels[k];
      assert.equal(l.title, 'Mitigation');
      assert.equal(doc.sections[l.parent!].title, `Risk ${k}: a thing`);
    }
    // Each label's parent is the section it stands in (was found by a walk over all sections, for each label: 2 s).
    // The document parsed again in each run (its labels are kept by document), so that each run finds them.
    const risks = (k: number) =>
      `${BRIEF}\n## Risks\n\n${Array.from({ length: k }, (_, i) => `### Risk ${i}: a thing\n\n**Mitigation**: watch it ${i}\n`).join('\n')}`;
    assertLinear(
      'labels',
      (k) => {
        const text = risks(k);
        return () => void kindLabels(svc, path, parseDocument(text));
      },
      // Without the collector's pauses: its share grows with the live model of a megabyte's document (the whole
      // grew by 26–68× at times, the work by 16–41×).
      { n: 1000, withoutGc: true },
    );
  });

  it('20,000 rows of a table without comments (with `<!-` in each): each line read as prose in linear time', () => {
    const table = (n: number) => parseDocument(`# T\n\n| A | B |\n| --- | --- |\n${Array.from({ length: n }, (_, i) => `| a<!-${i} | b<! |`).join('\n')}\n`);
    const doc = table(20000);
    assert.deepEqual(
      doc.lines.map((_, l) => maskedProse(doc, l)),
      doc.lines,
    );
    // The whole text was searched for a comment for each line (O(lines × text): 7 s at 20,000).
    assertLinear(
      'maskedProse',
      (n) => {
        const d = table(n);
        return () => d.lines.forEach((_, l) => maskedProse(d, l));
      },
      { n: 1250 },
    );
  });

  describe('unused directives', () => {
    for (const [what, open, close] of [
      ['of one rule', '<!-- phasegate-disable broken-link -->', '<!-- phasegate-enable broken-link -->'],
      ['of every rule', '<!-- phasegate-disable -->', '<!-- phasegate-enable -->'],
    ]) {
      it(`6,000 disable/enable pairs ${what}: their fixes and fix-all in linear time, each directive removed`, async () => {
        const n = 6000;
        const text = `${BRIEF}\n## Notes\n\n${Array.from({ length: n }, (_, i) => `${open}\ntext ${i}\n${close}`).join('\n\n')}\n`;
        const svc = await engine('phase-1/00-PHASE_BRIEF.md', text);
        const path = `${ROOT}/phase-1/00-PHASE_BRIEF.md`;
        const diags = svc.diagnose(path).filter((d) => d.code === 'unused-directive');
        assert.equal(diags.length, n);
        // Each looked for among all the directives, and for another disable among them (3 s and more).
        const [msActions, actions] = timed(() => codeActions(svc, diags));
        assert.equal(actions.length, n);
        // Another disable of the same rule: the enable may end it, so it stays.
        assert.equal(actions[0].title, 'Remove the unused phasegate-disable directive');
        const [msAll, all] = timed(() => fixAll(svc, path, { placeholders: false }));
        const edits = all!.change.edits[0].edits;
        assert.equal(edits.length, n);
        const fixed = applyEdits(text, edits);
        assert.equal(fixed.split(open).length - 1, 0);
        assert.equal(fixed.split(close).length - 1, n);
        assert.ok(msActions < 1500, `code actions took ${msActions.toFixed(0)} ms`);
        assert.ok(msAll < 1500, `fix-all took ${msAll.toFixed(0)} ms`);
      });
    }

    it('8,000 unused disable-next-line directives: fix-all in linear time, every one removed', async () => {
      const notes = (n: number) =>
        `${BRIEF}\n## Notes\n\n${Array.from({ length: n }, (_, i) => `<!-- phasegate-disable-next-line broken-link -->\ntext ${i}`).join('\n\n')}\n`;
      const path = `${ROOT}/phase-1/00-PHASE_BRIEF.md`;
      // An engine for each size assertLinear measures (500 to 8,000), its directives found.
      const engines = new Map<number, PhasegateService>();
      for (let n = 500; n <= 8000; n *= 2) {
        const svc = await engine('phase-1/00-PHASE_BRIEF.md', notes(n));
        svc.diagnose(path);
        engines.set(n, svc);
      }
      const n = 8000;
      const all = fixAll(engines.get(n)!, path, { placeholders: false });
      const fixed = applyEdits(notes(n), all!.change.edits[0].edits);
      assert.equal(fixed, `${BRIEF}\n## Notes\n\n${Array.from({ length: n }, (_, i) => `text ${i}`).join('\n\n')}\n`);
      // Each edit was compared with every edit taken before it (1.5 s at 8,000).
      assertLinear('fix-all', (k) => void fixAll(engines.get(k)!, path, { placeholders: false }), { n: 500 });
    });
  });

  it('a decisions file with 1,500 decisions without a rationale: their fixes in linear time, each decision given one', async () => {
    const n = 1500;
    const text = `# Phase 1 Decisions\n\n## Decision Log\n\n${Array.from({ length: n }, (_, i) => `### Decision ${i}: choose ${i}\n\nWe chose it.\n`).join('\n')}`;
    const svc = await engine('phase-1/05-DECISIONS.md', text);
    const path = `${ROOT}/phase-1/05-DECISIONS.md`;
    const diags = svc.diagnose(path).filter((d) => d.code === 'decision-without-rationale');
    assert.equal(diags.length, n);
    // Each fix parsed the whole document again, and looked over every section for the decisions (20 s).
    const [msActions, actions] = timed(() => codeActions(svc, diags));
    assert.equal(actions.length, n);
    assert.equal(actions[7].title, 'Add a rationale to "Decision 7: choose 7"');
    const [msAll, all] = timed(() => fixAll(svc, path));
    const fixed = applyEdits(text, all!.change.edits[0].edits);
    svc.setOverlay(path, fixed);
    assert.deepEqual(
      svc.diagnose(path).filter((d) => d.code === 'decision-without-rationale'),
      [],
    );
    assert.equal(fixed.split('**Rationale**:').length - 1, n);
    assert.ok(msActions + msAll < 3000, `code actions took ${msActions.toFixed(0)} ms, fix-all ${msAll.toFixed(0)} ms`);
  });

  it('20,000 edits of a text of 40,000 lines applied in linear time, as one by one from the end', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`).join('\r\n') + '\r\n';
    const everyOther = (n: number) =>
      Array.from({ length: n / 2 }, (_, k) => ({
        range: { start: { line: 2 * k, character: 0 }, end: { line: 2 * k, character: 4 } },
        newText: 'row',
      }));
    const n = 40000;
    assert.equal(applyEdits(lines(n), everyOther(n)), Array.from({ length: n }, (_, i) => `${i % 2 ? 'line' : 'row'} ${i}`).join('\r\n') + '\r\n');
    // The lines before each edit were summed, and the text copied, for each edit (seconds at 40,000). Measured up to
    // 20,000 lines (8×, quadratic 64×): at 40,000 a run outlasts a loaded machine's time slice, and each slice
    // starts with cold caches that the run at 2,500 never meets (76× for 16× on a loaded machine, twice).
    assertLinear(
      'applyEdits',
      (k) => {
        const text = lines(k);
        const edits = everyOther(k);
        return () => applyEdits(text, edits);
      },
      { n: 2500, factor: 8 },
    );
    // Insertions at one place go in the order given; a deletion there goes before them; past the end is the end.
    const at = (line: number, character: number) => ({ line, character });
    assert.equal(
      applyEdits('ab\ncd', [
        { range: { start: at(0, 1), end: at(0, 1) }, newText: 'X' },
        { range: { start: at(0, 1), end: at(1, 1) }, newText: '' },
        { range: { start: at(0, 1), end: at(0, 1) }, newText: 'Y' },
        { range: { start: at(5, 0), end: at(6, 0) }, newText: '!' },
      ]),
      'aXYd!',
    );
  });

  it('whether an insertion lands in code: read from the part of the document around it as from the whole', () => {
    // The whole document parsed again, as the fixes did before.
    const whole = (doc: ParsedDocument, ins: { line: number; character: number; text: string }): boolean => {
      const lines = doc.lines.slice();
      const src = lines[ins.line] ?? '';
      lines[ins.line] = src.slice(0, ins.character) + ins.text.replace(/\r\n?/g, '\n') + src.slice(ins.character);
      const after = parseDocument(lines.join('\n'));
      const added = ins.text.split(/\r\n|\r|\n/);
      return added.some((a, k) => a.trim() !== '' && after.codeLines.has(ins.line + k));
    };
    const line = fc.constantFrom(
      '# Top',
      '## Section',
      '### Decision 1: x',
      '#not a heading',
      'Heading',
      '===',
      '---',
      '',
      'text',
      '    indented',
      '```',
      '~~~',
      '```sh',
      '<!--',
      '-->',
      '<!-- one -->',
      '<div>',
      '</div>',
      '<script>',
      '</script>',
      '> quote',
      '> ```',
      '- item',
      '  - nested',
      '   ```',
      '1. one',
      '| a | b |',
      '| --- | --- |',
      '\t# tab',
      ' # one space',
    );
    const texts = fc.constantFrom(
      '\n\n**Rationale**: [Why]\n',
      '\n\n## New\n\nBody\n',
      '## New\n\n',
      '\n- item\n',
      '\n```\n',
      '<!-- x\n',
      'x',
      '\r\n    code\r\n',
    );
    // An insertion into the closing `---` of front matter moves its end below the next heading (found by the fuzz).
    const fm = parseDocument(['---', '# Top', '~~~', '---', '# Top', '# Top', '# Top', '# Top', '---', '# Top'].join('\n'));
    const inFence = { line: 3, character: 1, text: '\n\n**Rationale**: [Why]\n' };
    assert.equal(landsInCode(fm, inFence), whole(fm, inFence));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 40 }), fc.nat(), fc.nat(), texts, (lines, l, c, text) => {
        const doc = parseDocument(lines.join('\n'));
        const at = l % doc.lines.length;
        const ins = { line: at, character: c % (doc.lines[at].length + 1), text };
        assert.equal(landsInCode(doc, ins), whole(doc, ins), JSON.stringify({ lines, ins }));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000), seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
  });
});
