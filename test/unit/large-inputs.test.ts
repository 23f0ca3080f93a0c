/**
 * Documents with thousands of one kind of thing (labels, unused directives, decisions without a rationale,
 * table rows): the engine's checks, fixes and editor features take time linear in their number, not
 * quadratic. Each bound is generous (several times what the linear code takes on a loaded machine) and
 * far below what the quadratic code took; each test also checks that the answer is still right.
 */
import * as assert from 'node:assert/strict';
import { applyEdits, codeActions, fixAll, parseDocument, PhasegateService } from '../../server/src/service';
import { maskedProse } from '../../server/src/service/markdown';
import { kindLabels } from '../../server/src/lsp/labels';
import { labelSections } from '../../server/src/service/labels';
import { ROOT, workspace } from '../helpers/workspace';

const BRIEF = `---\nphase: 1\nstatus: in-progress\n---\n\n# Phase 1: Work\n\n## Objectives\n\nDo the work.\n`;

/** Milliseconds `f` takes, and what it returns. */
function timed<T>(f: () => T): [number, T] {
  const t = process.hrtime.bigint();
  const r = f();
  return [Number(process.hrtime.bigint() - t) / 1e6, r];
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
    // Each label's parent is the section it stands in (was found by a walk over all sections, for each label: 2 s).
    const [ms] = timed(() => kindLabels(svc, path, doc));
    const labels = labelSections(doc);
    assert.equal(labels.length, n);
    for (const k of [0, 1, n / 2, n - 1]) {
      const l = labels[k];
      assert.equal(l.title, 'Mitigation');
      assert.equal(doc.sections[l.parent!].title, `Risk ${k}: a thing`);
    }
    assert.ok(ms < 1000, `labels took ${ms.toFixed(0)} ms`);
  });

  it('20,000 rows of a table without comments (with `<!-` in each): each line read as prose in linear time', () => {
    const n = 20000;
    const doc = parseDocument(`# T\n\n| A | B |\n| --- | --- |\n${Array.from({ length: n }, (_, i) => `| a<!-${i} | b<! |`).join('\n')}\n`);
    // The whole text was searched for a comment for each line (O(lines × text): 7 s).
    const [ms, out] = timed(() => doc.lines.map((_, l) => maskedProse(doc, l)));
    assert.deepEqual(out, doc.lines);
    assert.ok(ms < 500, `maskedProse took ${ms.toFixed(0)} ms`);
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
      const n = 8000;
      const text = `${BRIEF}\n## Notes\n\n${Array.from({ length: n }, (_, i) => `<!-- phasegate-disable-next-line broken-link -->\ntext ${i}`).join('\n\n')}\n`;
      const svc = await engine('phase-1/00-PHASE_BRIEF.md', text);
      const path = `${ROOT}/phase-1/00-PHASE_BRIEF.md`;
      svc.diagnose(path);
      // Each edit was compared with every edit taken before it (1.5 s).
      const [ms, all] = timed(() => fixAll(svc, path, { placeholders: false }));
      const fixed = applyEdits(text, all!.change.edits[0].edits);
      assert.equal(fixed, `${BRIEF}\n## Notes\n\n${Array.from({ length: n }, (_, i) => `text ${i}`).join('\n\n')}\n`);
      assert.ok(ms < 700, `fix-all took ${ms.toFixed(0)} ms`);
    });
  });

  it('20,000 edits of a text of 40,000 lines applied in linear time, as one by one from the end', () => {
    const n = 40000;
    const text = Array.from({ length: n }, (_, i) => `line ${i}`).join('\r\n') + '\r\n';
    const edits = Array.from({ length: n / 2 }, (_, k) => ({
      range: { start: { line: 2 * k, character: 0 }, end: { line: 2 * k, character: 4 } },
      newText: 'row',
    }));
    // The lines before each edit were summed, and the text copied, for each edit (seconds).
    const [ms, out] = timed(() => applyEdits(text, edits));
    assert.equal(out, Array.from({ length: n }, (_, i) => `${i % 2 ? 'line' : 'row'} ${i}`).join('\r\n') + '\r\n');
    assert.ok(ms < 500, `applyEdits took ${ms.toFixed(0)} ms`);
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
});
