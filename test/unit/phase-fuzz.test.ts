/**
 * Property-based checks of "complete handoff" over random input handoffs: it never throws,
 * its edits lie inside the document, it keeps CRLF, it leaves no handed-off input missing
 * when it could insert one, and a second run finds nothing to do.
 * FUZZ_RUNS sets the number of cases (default 60).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyEdits, parseDocument } from '../../server/src/service';
import { completeHandoff } from '../../server/src/service/fixes/phase';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { assertRangesInside } from '../helpers/ranges';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

const OUT = `# Phase 1 → Phase 2 Handoff

## Phase 2 Prerequisites

- [ ] Test environment provisioned

## Phase 2 Inputs

- Audit report: [report](04-ARTIFACTS/r.md) - findings
- Coverage baseline: \`04-ARTIFACTS/c.json\` - coverage
- Roadmap - prioritised fixes

## Open Questions

- Which runner?
`;

const word = fc.constantFrom('Audit', 'report', 'Roadmap', 'coverage', '[Location]', '`code`', '**bold**', 'é', '\t', 'x');
const words = fc.array(word, { maxLength: 5 }).map((w) => w.join(' '));
const heading = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.constantFrom('Phase 2 Input Handoff', 'Source', 'Inputs Received', 'Prerequisites', 'Open Questions', 'Notes'))
  .map(([l, t]) => `${'#'.repeat(l)} ${t}`);
const item = fc
  .tuple(
    fc.constantFrom('- ', '* ', '1. ', '- [ ] ', '- [x] ', '  - '),
    fc.constantFrom('', 'Audit report: ', 'Coverage baseline: ', 'Test environment provisioned', 'Which runner?'),
    words,
    fc.constantFrom('', ' [r](../phase-1/04-ARTIFACTS/r.md)', ' [h](../phase-3/06-OUTPUT_HANDOFF.md)', ' [h](../phase-1/06-OUTPUT_HANDOFF.md)'),
  )
  .map((p) => p.join(''));
const block = fc.oneof(
  heading,
  heading,
  item,
  item,
  words,
  fc.constant(''),
  fc.constant('```\nunclosed'),
  fc.constant('<!-- open'),
  fc.constant('| a | b |\n|---|---|\n| c | d |'),
);
const inputArb = fc
  .tuple(fc.array(block, { maxLength: 20 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([blocks, eol, trailing]) => (blocks.join('\n\n') + (trailing ? '\n' : '')).replace(/\n/g, eol));

describe('fuzz: complete handoff', function () {
  this.timeout(120000);
  it('is safe, minimal and idempotent on any input handoff', async () => {
    const { svc } = await workspace({
      'phase-1/06-OUTPUT_HANDOFF.md': OUT,
      'phase-1/04-ARTIFACTS/r.md': '# r\n',
      'phase-1/04-ARTIFACTS/c.json': '{}\n',
      'phase-2/01-INPUT_HANDOFF.md': '# Phase 2 Input Handoff\n',
    });
    const file = `${ROOT}/phase-2/01-INPUT_HANDOFF.md`;
    const phase = svc.findPhase('phase-2');
    fc.assert(
      fc.property(inputArb, (text) => {
        svc.setOverlay(file, text);
        const doc = parseDocument(text);
        assertRangesInside(doc, diagnosticsOf(svc, 'phase-2/01-INPUT_HANDOFF.md'));
        const action = completeHandoff(svc, phase);
        if (!action) return;
        const edits = action.change.edits[0].edits;
        assertRangesInside(
          doc,
          edits.map((e) => ({ range: e.range, code: 'edit' })),
        );
        const once = applyEdits(text, edits);
        // Minimal: the original lines (link targets aside, which a retarget may change) are still there, in order.
        const norm = (t: string) => t.split(/\r\n|\n/).map((l) => l.replace(/\]\([^)]*\)/g, ']()'));
        // A line of template placeholders alone (`[Location]`, `- Input 1: [Location] - [Description]`), or an
        // empty list item (`- `, `- [ ] `, `1. `), is the template's, which the fix fills by design; every other line is the user's.
        const kept = norm(text).filter(
          (l) => !/^\s*(?:(?:[-*+]|\d+[.)])(?:\s+(?:\[[ xX]?\]\s*)?|$))?(?:[\w ]*:\s*)?(?:\[[A-Z][^\]]*\]\s*[-–:]?\s*)*$/.test(l) || l.trim() === '',
        );
        let j = 0;
        for (const l of norm(once)) if (j < kept.length && l === kept[j]) j++;
        assert.equal(j, kept.length, 'user text was removed or changed');
        if (text.includes('\r\n') && !/\n/.test(text.replace(/\r\n/g, ''))) assert.ok(!/[^\r]\n/.test(once), 'CRLF kept');
        svc.setOverlay(file, once);
        const again = completeHandoff(svc, phase);
        if (again) assert.equal(applyEdits(once, again.change.edits[0].edits), once, 'a second run changes the text');
      }),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
  });
});
