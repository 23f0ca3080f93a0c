/**
 * unaddressed-deliverable over many deliverables: past the first units, those left are looked for through an index
 * of the units' words (UnitIndex), not each against every unit. The index finds what trying every unit finds, on
 * random deliverables and lines; the rule's result is the same with and without it; its time is linear.
 * FUZZ_RUNS sets the number of random cases (default 300), FUZZ_SEED the seed (fast-check prints it on a failure).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDocument } from '../../server/src/service/markdown';
import { UnitIndex, UnitReader, addresses, deliverable, unaddressed, unit } from '../../server/src/service/rules/phase-deliverables';
import { assertLinear } from '../helpers/linear';
import { diagnosticsOf, workspace } from '../helpers/workspace';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

// Few words, so that deliverables and lines share many: stop words, plurals, numbers, bold and code terms, parentheses.
const WORD = fc.constantFrom('test', 'tests', 'coverage', 'report', 'the', 'and', 'of', 'api', 'docs', 'lint', 'ci', 'setup', '80', '2');
const PIECE = fc.oneof(
  { weight: 6, arbitrary: WORD },
  { weight: 1, arbitrary: WORD.map((w) => `**${w}**`) },
  { weight: 1, arbitrary: fc.tuple(WORD, WORD).map(([a, b]) => `\`${a} ${b}\``) },
  { weight: 1, arbitrary: fc.tuple(WORD, WORD).map(([a, b]) => `(${a}, ${b})`) },
);
const TEXT = fc.array(PIECE, { minLength: 1, maxLength: 6 }).map((ws) => ws.join(' '));

describe('unaddressed-deliverable through an index of the units', () => {
  it('the index finds a unit that addresses a deliverable exactly when one of the units does', () => {
    fc.assert(
      fc.property(fc.array(TEXT, { maxLength: 30 }), fc.array(TEXT, { minLength: 1, maxLength: 10 }), (lines, wanted) => {
        const units = lines.map(unit);
        const index = new UnitIndex(units);
        for (const w of wanted) {
          const d = deliverable(w);
          assert.equal(
            index.addressed(d),
            units.some((u) => addresses(d, u)),
            `${JSON.stringify(w)} in ${JSON.stringify(lines)}`,
          );
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('the deliverables left are those no line addresses, with many deliverables (the index) or few', () => {
    fc.assert(
      fc.property(fc.array(TEXT, { maxLength: 150 }), fc.array(TEXT, { minLength: 1, maxLength: 60 }), (lines, wanted) => {
        const doc = parseDocument(lines.map((l) => `- ${l}`).join('\n') + '\n');
        const expected = wanted.filter((w) => !lines.some((l) => addresses(deliverable(w), unit(`- ${l}`))));
        assert.deepEqual(
          unaddressed(
            wanted.map((text) => ({ text })),
            [new UnitReader(doc, 0, doc.lines.length)],
          ),
          expected,
        );
      }),
      { numRuns: Math.ceil(RUNS / 3), seed: SEED },
    );
  });

  it('takes time linear in the deliverables and lines, none addressed (was: each deliverable against every line)', () => {
    const docOf = (n: number) => parseDocument(Array.from({ length: n }, (_, i) => `- Delivered thing ${i} about subject ${i * 3}`).join('\n') + '\n');
    assertLinear(
      'n deliverables against n lines',
      (n) => {
        const doc = docOf(n);
        const wanted = Array.from({ length: n }, (_, i) => ({ text: `Deliverable number ${i} about topic ${i * 7}` }));
        return () => assert.equal(unaddressed(wanted, [new UnitReader(doc, 0, doc.lines.length)]).length > 0, true);
      },
      { n: 200 },
    );
  });

  it('a brief of many deliverables: each one no line of the output handoff addresses is reported, as before', async () => {
    const n = 300;
    const items = (f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': `# Phase 1: Build\n\n## Objectives\n\n- Build\n\n## Deliverables\n\n${items((i) => `- Report r${i} x${i} y${i}`)}\n`,
      // Every third one addressed, most of them far down the list (past the first units).
      'phase-1/06-OUTPUT_HANDOFF.md': `# Phase 1 Output Handoff\n\n## Phase 1 Summary\n\n${items((i) => (i % 3 === 0 ? `- r${n - 1 - i} x${n - 1 - i} y${n - 1 - i} written` : `- Other work ${i}`))}\n\n## Artifacts Produced\n\n- None\n`,
    });
    const reported = diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'unaddressed-deliverable').map((d) => Number(/Report r(\d+)/.exec(d.message)?.[1]));
    const expected = Array.from({ length: n }, (_, i) => i).filter((i) => (n - 1 - i) % 3 !== 0);
    assert.deepEqual(reported, expected);
  });
});
