/**
 * Documents with thousands of one kind of thing (labels, unused directives, decisions without a rationale,
 * table rows): the engine's checks, fixes and editor features take time linear in their number, not
 * quadratic. Each bound is generous (several times what the linear code takes on a loaded machine) and
 * far below what the quadratic code took; each test also checks that the answer is still right.
 */
import * as assert from 'node:assert/strict';
import { parseDocument, PhasegateService } from '../../server/src/service';
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
});
